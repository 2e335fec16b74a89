// Keeps one page's rendering error from blanking the whole studio: the
// navigation and notices stay, and the page shows the error with a way out.
import { Component, type ReactNode } from 'react';
import { createLogger } from '../../core/log';

const log = createLogger('ui');

interface Props {
  /** Page name for the message; a new name resets the boundary. */
  page: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  page: string;
}

export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, page: this.props.page };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    // Switching pages gives the new page a fresh start.
    return props.page !== state.page ? { error: null, page: props.page } : null;
  }

  override componentDidCatch(error: Error): void {
    log.error(`the ${this.props.page} page failed to render`, error);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    return (
      <section className="panel" role="alert">
        <h2>This page could not be shown</h2>
        <p>
          {this.state.error.message}. Stored runs and spaces are unchanged: open another run or page, or reload
          the studio.
        </p>
      </section>
    );
  }
}
