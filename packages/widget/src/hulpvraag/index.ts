/**
 * The entry of `/hulpvraag.js`: defines `<wijkteam-hulpvraag>`, calling the API that served this
 * script unless an `api` attribute says otherwise.
 */
import { WijkteamHulpvraag } from './element.ts';

WijkteamHulpvraag.defaultApi = new URL('.', import.meta.url).href;
if (!customElements.get('wijkteam-hulpvraag')) customElements.define('wijkteam-hulpvraag', WijkteamHulpvraag);

declare global {
  interface HTMLElementTagNameMap {
    'wijkteam-hulpvraag': WijkteamHulpvraag;
  }
}

export { WijkteamHulpvraag };
