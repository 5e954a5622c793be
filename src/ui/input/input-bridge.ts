// What the chat asks of the prompt line besides editing: a question (a missing prompt argument, answered
// in the line with Tab completion, Esc abandons), text put back after a message could not be sent, and
// hints for the server prompts. The controller owns one; the Input component reads it. No React here.

export interface Completion {
  /** The prompt text after completing (unchanged when nothing fits). */
  text: string;
  /** Every candidate when there is more than one. */
  candidates: string[];
}

export interface Hint {
  usage: string;
  summary: string;
}

export interface Question {
  /** What is being filled in, e.g. `/everything:args-prompt`. */
  title: string;
  /** The argument asked for. */
  name: string;
  description?: string;
  /** e.g. "1 of 2" when several are missing. */
  position?: string;
  /** Tab completion of the answer (completion/complete on the server). */
  complete?: (text: string) => Promise<Completion>;
}

export interface InputLineState {
  question: Question | undefined;
  /** Text to put back into an empty prompt (a new `seq` each time). */
  restore: { text: string; seq: number } | undefined;
}

export class InputBridge {
  private state: InputLineState = { question: undefined, restore: undefined };
  private pending: ((answer: string | undefined) => void) | undefined;
  private readonly listeners = new Set<() => void>();
  /** Extra hints under the prompt (the server prompts), set by the controller. */
  hints: (text: string) => Hint[] = () => [];

  getSnapshot = (): InputLineState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Asks in the prompt line; resolves with the answer, or undefined when the person abandons it. */
  ask(question: Question): Promise<string | undefined> {
    this.pending?.(undefined);
    return new Promise((resolve) => {
      this.pending = resolve;
      this.set({ question });
    });
  }

  /** Enter in question mode; an empty answer is not taken (false: keep asking). */
  answer(text: string): boolean {
    if (!this.pending || text.trim() === '') return false;
    this.finish(text.trim());
    return true;
  }

  /** Esc or Ctrl+C in question mode; false when nothing was being asked. */
  abandon(): boolean {
    if (!this.pending) return false;
    this.finish(undefined);
    return true;
  }

  async complete(text: string): Promise<Completion> {
    const complete = this.state.question?.complete;
    if (!complete) return { text, candidates: [] };
    try {
      return await complete(text);
    } catch {
      return { text, candidates: [] };
    }
  }

  /** Puts text back into the prompt (when it is empty), e.g. a message that could not be sent. */
  restore(text: string): void {
    this.set({ restore: { text, seq: (this.state.restore?.seq ?? 0) + 1 } });
  }

  private finish(answer: string | undefined): void {
    const resolve = this.pending;
    this.pending = undefined;
    this.set({ question: undefined });
    resolve?.(answer);
  }

  private set(change: Partial<InputLineState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }
}
