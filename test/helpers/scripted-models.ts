// Scripted OpenAI-compatible model servers for e2e runs of the built CLI: started per test, closed by
// `closeAll` (afterEach), and the environment that points mcpsh at one.
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';

export interface ScriptedModels {
  scripted: (script: Step[]) => Promise<ScriptedModel>;
  closeAll: () => Promise<void>;
}

export function scriptedModels(name: string): ScriptedModels {
  const models: ScriptedModel[] = [];
  return {
    async scripted(script) {
      const model = await startScriptedModel(script, { name });
      models.push(model);
      return model;
    },
    async closeAll() {
      await Promise.all(models.splice(0).map((m) => m.close()));
    },
  };
}

/** OPENAI_BASE_URL, a test key and MCPSH_MODEL for `model`. */
export function modelEnv(model: ScriptedModel, apiKey = 'sk-test-key-abcdef'): Record<string, string> {
  return { OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: apiKey, MCPSH_MODEL: 'scripted-model' };
}
