/**
 * Resolves in the event loop's next turn, after the promise jobs of this one: work deferred
 * with it runs once what this turn starts (a compiler's spawn) has started.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
