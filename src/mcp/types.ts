// The MCP types mcpsh uses, re-exported from the SDK in one place: the rest of the code base imports MCP
// types from here (src/mcp is mcpsh's own interface over @modelcontextprotocol/client; lint forbids the v1 SDK).
export type {
  CallToolResult as SdkCallToolResult,
  ClientCapabilities,
  CompleteResult,
  CreateMessageRequest,
  CreateMessageResult,
  DiscoverResult,
  ElicitResult,
  FetchLike,
  GetPromptResult,
  Implementation,
  JSONRPCMessage,
  LoggingLevel,
  LoggingMessageNotification,
  Prompt,
  PromptMessage,
  ReadResourceResult,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Root,
  ServerCapabilities,
  Tool,
  ToolAnnotations,
  Transport,
} from '@modelcontextprotocol/client';
import type { CallToolResult as SdkCallToolResult } from '@modelcontextprotocol/client';

/**
 * A tools/call result as mcpsh hands it on: v2 types `structuredContent` loosely (`{} | null`); mcpsh keeps it
 * only when it is a JSON object (src/mcp/tool-request.ts drops anything else), so the rest of the code can rely on that.
 */
export type CallToolResult = SdkCallToolResult & { structuredContent?: Record<string, unknown> };
