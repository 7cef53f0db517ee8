import * as React from 'react';

/**
 * A ref for an element that takes the keyboard's focus when it mounts `focused`: a row's
 * button back from its detail view, so the keyboard (and the scroll) are where they were.
 * A function is asked once the page has changed (has the focus fallen to the page?).
 */
export function useFocusOnMount<T extends HTMLElement>(
  focused: boolean | (() => boolean)
): React.RefObject<T> {
  const ref = React.useRef<T>(null);
  React.useEffect(() => {
    if (typeof focused === 'function' ? focused() : focused) {
      ref.current?.focus();
    }
  }, []);
  return ref;
}

/** Whether the focus fell to the page (its element was removed or disabled). */
export function focusWasLost(): boolean {
  return !document.activeElement || document.activeElement === document.body;
}
