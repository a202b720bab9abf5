/** Stylesheets are bundled as minified text (see build.ts). */
declare module '*.css' {
  const css: string;
  export default css;
}
