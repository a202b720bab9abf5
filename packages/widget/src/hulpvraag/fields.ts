/**
 * The form's controls, each with its label, hint and error tied to it: the label names the field,
 * `aria-describedby` reads the hint and, when there is one, the error; `aria-invalid` marks it.
 */
import { h } from '../render.ts';

export type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

type Attributes = Record<string, string | boolean | undefined>;

/** A text-like field: `<label>`, hint, error, control. */
export function field(id: string, label: string, hint: string | null, control: Control): HTMLElement {
  control.id = id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    hint && h('p', { id: `${id}-hint`, class: 'hint' }, hint),
    h('p', { id: `${id}-error`, class: 'error', hidden: true }),
    control,
  );
}

/** A checkbox, its label beside it, and its hint and error below. */
export function checkbox(id: string, label: string, hint: string, input: HTMLInputElement): HTMLElement {
  input.id = id;
  input.type = 'checkbox';
  input.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'check' },
    h('p', { id: `${id}-error`, class: 'error', hidden: true }),
    h('div', { class: 'choice' }, input, h('label', { for: id }, label)),
    h('p', { id: `${id}-hint`, class: 'hint' }, hint),
  );
}

/** Radio buttons under a legend; the first option is checked. */
export function radios(
  name: string,
  legend: string,
  options: [value: string, label: string][],
): { group: HTMLElement; inputs: HTMLInputElement[] } {
  const inputs = options.map(([value], i) =>
    input({ type: 'radio', name, value, id: `${name}-${value || 'any'}`, checked: i === 0 }),
  );
  const group = h(
    'fieldset',
    {},
    h('legend', {}, legend),
    ...options.map(([, label], i) => {
      const radio = inputs[i] as HTMLInputElement;
      return h('div', { class: 'choice' }, radio, h('label', { for: radio.id }, label));
    }),
  );
  return { group, inputs };
}

export const input = (attributes: Attributes) => h('input', attributes) as HTMLInputElement;

/** Marks a control invalid with `message`, or valid again with null. */
export function setError(root: ShadowRoot, control: Control, message: string | null): void {
  const error = root.getElementById(`${control.id}-error`);
  if (!error) return;
  error.textContent = message ?? '';
  error.hidden = message === null;
  if (message === null) control.removeAttribute('aria-invalid');
  else control.setAttribute('aria-invalid', 'true');
  const hint = root.getElementById(`${control.id}-hint`) ? `${control.id}-hint` : '';
  const described = [hint, message === null ? '' : `${control.id}-error`].filter(Boolean).join(' ');
  if (described) control.setAttribute('aria-describedby', described);
  else control.removeAttribute('aria-describedby');
}
