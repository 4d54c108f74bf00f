import type { Element, Root } from 'hast';

/** Every element of a hast tree, depth first, the root element included. */
export function allElements(tree: Root | Element): Element[] {
  const found: Element[] = [];
  const visit = (node: Root | Element): void => {
    if (node.type === 'element') {
      found.push(node);
    }
    for (const child of node.children) {
      if (child.type === 'element') {
        visit(child);
      }
    }
  };
  visit(tree);
  return found;
}

/** The element's classes. */
export function classesOf(element: Element): string[] {
  const className = element.properties.className;
  return Array.isArray(className) ? className.map(String) : [];
}

/** Elements with this tag name and, when given, this class. */
export function elementsOf(tree: Root | Element, tagName: string, className?: string): Element[] {
  return allElements(tree).filter(
    element => element.tagName === tagName && (className === undefined || classesOf(element).includes(className))
  );
}

/** The text of a subtree, as a reader sees it (no markup). */
export function textOf(node: Root | Element): string {
  return node.children
    .map(child => (child.type === 'text' ? child.value : child.type === 'element' ? textOf(child) : ''))
    .join('');
}
