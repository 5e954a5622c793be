// Facts about a model endpoint URL: local or hosted, which provider, how to show it without credentials.
// Settings use them to decide whether a key is needed; errors use them to say where a request went.

export type Provider = 'openai' | 'azure' | 'openrouter' | 'local' | 'other';

const LOCAL_HOSTS = new Set(['localhost', '0.0.0.0', '::1', '[::1]', 'host.docker.internal']);

function hostOf(baseURL: string): string | undefined {
  try {
    return new URL(baseURL).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** True for endpoints on this machine (Ollama, LM Studio, vLLM, llama.cpp on localhost): they need no key. */
export function isLocalBaseURL(baseURL: string): boolean {
  const host = hostOf(baseURL);
  if (host === undefined) return false;
  return LOCAL_HOSTS.has(host) || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host);
}

export function providerOf(baseURL: string): Provider {
  const host = hostOf(baseURL);
  if (host === undefined) return 'other';
  if (isLocalBaseURL(baseURL)) return 'local';
  if (host === 'api.openai.com') return 'openai';
  if (host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com') || host.endsWith('.services.ai.azure.com'))
    return 'azure';
  if (host === 'openrouter.ai') return 'openrouter';
  return 'other';
}

/** The URL without user:password and without a trailing slash, for messages. */
export function displayURL(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return baseURL;
  }
}

/** The environment variable people conventionally keep this provider's key in. */
export function keyVariableFor(provider: Provider): string {
  switch (provider) {
    case 'azure':
      return 'AZURE_OPENAI_API_KEY';
    case 'openrouter':
      return 'OPENROUTER_API_KEY';
    default:
      return 'OPENAI_API_KEY';
  }
}
