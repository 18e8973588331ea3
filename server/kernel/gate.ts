/**
 * A counting gate: at most `size` callers run `fn` at once in this process; the rest wait in
 * line (FIFO). For work that the database serializes anyway (approvals of one quota year queue
 * on its row): letting every request into the database at once only adds backends competing
 * for the CPU with the one that holds the lock. A performance device, not a guard: the
 * database's locks and constraints are what keep the rules, across instances too.
 */
export function gate(size: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
