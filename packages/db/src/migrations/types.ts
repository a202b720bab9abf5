export interface Migration {
  /** drizzle-kit's tag, e.g. `0000_tenants`. */
  tag: string;
  /** When drizzle-kit generated it; the order of application. */
  folderMillis: number;
  /** SHA-256 of the SQL file, recorded with the applied version. */
  hash: string;
  statements: string[];
}

export interface MigrationSet {
  control: Migration[];
  tenant: Migration[];
}
