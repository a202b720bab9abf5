/**
 * The demo page (`/`): switches the lookup and the help form between the tenants and languages,
 * and shows the embed code for the chosen tenant with this host's address.
 */
const options = document.querySelector<HTMLFormElement>('#demo-options');
const tenant = document.querySelector<HTMLSelectElement>('#demo-tenant');
const language = document.querySelector<HTMLSelectElement>('#demo-language');
const widget = document.querySelector('wijkteam-zoeker');
const helpForm = document.querySelector('wijkteam-hulpvraag');
const formSnippet = document.querySelector<HTMLElement>('#demo-form-snippet');
const example = document.querySelector<HTMLElement>('#demo-example');
const snippet = document.querySelector<HTMLElement>('#demo-snippet');

function update(): void {
  if (!tenant || !language || !widget) return;
  for (const element of [widget, helpForm]) {
    element?.setAttribute('tenant', tenant.value);
    element?.setAttribute('lang', language.value);
  }
  const option = tenant.selectedOptions[0];
  if (example && option) example.textContent = option.dataset.example ?? '';
  if (snippet) {
    snippet.textContent = [
      `<script type="module" src="${location.origin}/widget.js"></script>`,
      `<wijkteam-zoeker tenant="${tenant.value}"${language.value === 'en' ? ' lang="en"' : ''}></wijkteam-zoeker>`,
    ].join('\n');
  }
  if (formSnippet) {
    formSnippet.textContent = [
      `<script type="module" src="${location.origin}/hulpvraag.js"></script>`,
      `<wijkteam-hulpvraag tenant="${tenant.value}"${language.value === 'en' ? ' lang="en"' : ''}></wijkteam-hulpvraag>`,
    ].join('\n');
  }
}

options?.addEventListener('submit', (event) => event.preventDefault());
tenant?.addEventListener('change', update);
language?.addEventListener('change', update);
update();
