// The model the chat talks to, swappable mid-conversation (/model, /agent): the session keeps one
// ChatModel, this one, and it forwards to whichever model is chosen now. Without one: tools-only mode.
import type { LoadedConfig } from '../../config/types.js';
import { AppError } from '../../errors.js';
import { createOpenAIModel } from '../../model/openai-model.js';
import { describeModel, modelAvailability } from '../../model/settings.js';
import type { ChatModel, ModelRequest, ModelSettings, ModelStreamEvent } from '../../model/types.js';

export class ChatModelSlot implements ChatModel {
  private current: ChatModel | undefined;
  private settings: ModelSettings | undefined;
  /** Why there is no model (when there is none). */
  problem: string | undefined;
  problemHint: string | undefined;
  private nameOverride: string | undefined;
  private agentModel: string | undefined;

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly flags: { model?: string; baseUrl?: string },
  ) {}

  get name(): string {
    return this.current?.name ?? '';
  }

  get available(): boolean {
    return this.current !== undefined;
  }

  stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    if (!this.current)
      throw new AppError('MODEL', `no model is configured: ${this.problem ?? 'unknown reason'}`, { hint: 'see docs/models.md' });
    return this.current.stream(request);
  }

  /** Applies an agent profile's model (or none); returns a note when the model changed. */
  choose(agentModel: string | undefined): string | undefined {
    this.agentModel = agentModel;
    return this.resolve();
  }

  /** /model NAME: wins over the agent's and the environment's choice until changed again. */
  override(name: string): string {
    this.nameOverride = name;
    const note = this.resolve();
    if (!this.current) return `no model: ${this.problem ?? 'unknown reason'}${this.problemHint ? `\nhint: ${this.problemHint}` : ''}`;
    return note ?? `already using ${this.describe()}`;
  }

  label(): string | null {
    return this.settings?.name ?? null;
  }

  describe(): string {
    if (this.settings) return `model ${describeModel(this.settings)}`;
    return `no model (tools-only mode): ${this.problem ?? 'unknown reason'}${this.problemHint ? `\nhint: ${this.problemHint}` : ''}`;
  }

  private resolve(): string | undefined {
    const flagModel = this.nameOverride ?? this.flags.model;
    const availability = modelAvailability({
      ...(this.loaded.config.model ? { config: this.loaded.config.model } : {}),
      ...(this.agentModel ? { agentModel: this.agentModel } : {}),
      modelProblems: this.loaded.modelProblems,
      flags: { ...(flagModel ? { model: flagModel } : {}), ...(this.flags.baseUrl ? { baseUrl: this.flags.baseUrl } : {}) },
      env: this.env,
    });
    if (!availability.available) {
      const had = this.current !== undefined;
      this.current = undefined;
      this.settings = undefined;
      this.problem = availability.reason;
      this.problemHint = availability.error.hint;
      return had ? `no model now: ${availability.reason}` : undefined;
    }
    this.problem = undefined;
    this.problemHint = undefined;
    const next = availability.settings;
    if (this.settings && this.settings.name === next.name && this.settings.baseURL === next.baseURL && this.settings.apiKey === next.apiKey)
      return undefined;
    const changed = this.settings !== undefined;
    this.settings = next;
    this.current = createOpenAIModel(next);
    return changed || this.nameOverride !== undefined ? `now using model ${describeModel(next)}` : undefined;
  }
}
