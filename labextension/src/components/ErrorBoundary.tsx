import * as React from 'react';

/**
 * Renders its children, or, when they throw while rendering, says so in their place: one
 * result the panel cannot draw must not blank the whole sidebar.
 */
export class ErrorBoundary extends React.Component<
  { what: string; children?: React.ReactNode },
  { error: Error | null }
> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  render(): React.ReactNode {
    const { error } = this.state;
    if (error === null) {
      return this.props.children;
    }
    return (
      <div className="synq-Message synq-Message-error" role="alert">
        Could not show {this.props.what}: {error.message}
      </div>
    );
  }
}
