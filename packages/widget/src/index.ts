/**
 * The entry of `/widget.js`: defines `<wijkteam-zoeker>`, calling the API that served this script
 * unless an `api` attribute says otherwise.
 */
import { WijkteamZoeker } from './element.ts';

WijkteamZoeker.defaultApi = new URL('.', import.meta.url).href;
if (!customElements.get('wijkteam-zoeker')) customElements.define('wijkteam-zoeker', WijkteamZoeker);

declare global {
  interface HTMLElementTagNameMap {
    'wijkteam-zoeker': WijkteamZoeker;
  }
}

export { WijkteamZoeker };
