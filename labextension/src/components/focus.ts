import * as React from 'react';

/**
 * A ref for a row's button that takes the keyboard's focus when the row mounts `focused`:
 * back from a detail view, the keyboard (and the scroll) are where they were.
 */
export function useFocusOnMount<T extends HTMLElement>(focused: boolean): React.RefObject<T> {
  const ref = React.useRef<T>(null);
  React.useEffect(() => {
    if (focused) {
      ref.current?.focus();
    }
  }, []);
  return ref;
}
