import * as React from 'react';

/**
 * A ref for an element that takes the keyboard's focus when it mounts `focused`: a row's
 * button back from its detail view, so the keyboard (and the scroll) are where they were.
 */
export function useFocusOnMount<T extends HTMLElement>(focused: boolean): React.RefObject<T> {
  const ref = React.useRef<T>(null);
  // Before the browser paints: JupyterLab gives a focus that fell to the page to its main
  // area soon after, and the focus is not taken back from there.
  React.useLayoutEffect(() => {
    if (focused) {
      ref.current?.focus();
    }
  }, []);
  return ref;
}

/** Whether the focus fell to the page (its element was removed or disabled). */
export function focusWasLost(): boolean {
  return !document.activeElement || document.activeElement === document.body;
}
