import type { ReactNode, TableHTMLAttributes } from 'react';

/**
 * A column heading: its text, or the text with `num` (figures, right-aligned), `hidden` (read by
 * screen readers only, e.g. an actions column) and any further class (e.g. `no-print`).
 */
export type Column = string | { label: string; num?: boolean; hidden?: boolean; className?: string };

/** A table's heading row, one `<th scope="col">` a column; `false` leaves a column out (e.g. actions the caller may not take). */
export function TableHead({ columns }: { columns: readonly (Column | false)[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => {
          if (c === false) return null;
          if (typeof c === 'string') return <th key={i} scope="col">{c}</th>;
          const className = [c.num ? 'num' : '', c.className ?? ''].filter(Boolean).join(' ');
          return (
            <th key={i} scope="col" className={className || undefined}>
              {c.hidden ? <span className="visually-hidden">{c.label}</span> : c.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

type TableProps = TableHTMLAttributes<HTMLTableElement> & {
  columns: readonly (Column | false)[];
  /** The scrolling box around the table (`table-wrap`, `report-table-wrap`); none when left out. */
  wrapClassName?: string;
  /** A `<caption>` before the heading row. */
  caption?: ReactNode;
  /** The body rows. */
  children: ReactNode;
};

/** A table of rows under one heading row, in its scrolling box when given one. */
export function Table({ columns, wrapClassName, caption, children, ...props }: TableProps) {
  const table = (
    <table {...props}>
      {caption}
      <TableHead columns={columns} />
      <tbody>{children}</tbody>
    </table>
  );
  return wrapClassName ? <div className={wrapClassName}>{table}</div> : table;
}
