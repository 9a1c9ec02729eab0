// console: building DOM nodes. User data only ever becomes text (createTextNode / textContent), never HTML: there is
// no innerHTML anywhere in the console.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/** an element with attributes (`on…` functions become listeners; true → empty attribute; false/undefined → none) */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== undefined) el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** replaces an element's children */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** a labelled <select>; `options` are [value, label] pairs */
export function select(id: string, label: string, options: readonly (readonly [string, string])[], value: string | undefined, onChange: (value: string) => void) {
  const control = h('select', { id, name: id, onchange: (event) => onChange((event.target as HTMLSelectElement).value) }, ...options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}
