import type { ReactNode } from 'react';

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page__header">
      <h1>{title}</h1>
      {children ? <p className="page__lead">{children}</p> : null}
    </header>
  );
}
