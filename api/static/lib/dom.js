// Tiny DOM helpers. Text always goes in as text nodes: user data (titles, names) is never parsed as HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function fill(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.setAttribute("class", value);
    else if (name === "text") node.textContent = String(value);
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of [children ?? []].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** h("p", {class: "x"}, ["text", h("b", {}, "bold")]) */
export const h = (tag, attrs, children) => fill(document.createElement(tag), attrs, children);

/** s("rect", {x: 1}) — an SVG element */
export const s = (tag, attrs, children) => fill(document.createElementNS(SVG_NS, tag), attrs, children);

export const $ = (selector, root = document) => root.querySelector(selector);

/** Replace all children of `node`. */
export function setChildren(node, children) {
  node.replaceChildren();
  return fill(node, {}, children);
}

/** Show/hide with the `hidden` attribute. */
export function show(node, visible) {
  node.hidden = !visible;
}
