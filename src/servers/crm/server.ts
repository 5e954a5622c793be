// Assembles the CRM server: database, store, audit log, rate limiter, HTTP listener. startCrmServer() is what
// `mcpsh serve crm` runs; it is also usable in-process (tests, other hosts), and close() undoes all of it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/server';
import { AppError, errorMessage } from '../../errors.js';
import { AuditLog } from '../../policy/audit-log.js';
import { KeyedTokenBuckets } from '../../policy/token-bucket.js';
import { loadSqliteDriver } from '../sqlite-driver.js';
import { openCrmDatabase } from './database.js';
import { seedDemoData } from './demo-data.js';
import { PolicyGateTransport } from './gate.js';
import { GatedMcpServer } from './gated-server.js';
import { CrmHttpHandler, MCP_PATH } from './http.js';
import { registerContactResources } from './resources.js';
import { CrmStore } from './store.js';
import { registerCrmTools } from './tools.js';

const MAX_SESSIONS = 100;

const INSTRUCTIONS = `A small CRM: contacts, their companies, sales opportunities and notes.
Find people with search_contacts (ids look like "contact_1"), then use get_contact_details, create_opportunity or update_contact_notes with that id.
Each contact is also a resource at crm://contacts/{id}.`;

export interface CrmServerOptions {
  host: string;
  port: number;
  dbFile: string;
  auditFile: string;
  key: Uint8Array;
  demo: boolean;
  ratePerMinute: number;
  /** Where operational messages go (not the listening line, which the caller prints). */
  log?: (line: string) => void;
}

export interface RunningCrmServer {
  url: string;
  host: string;
  port: number;
  seeded: boolean;
  /** Ends every session, stops listening, closes the database and the audit log. Safe to call twice. */
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** One MCP server over the shared store; whatever transport it is connected to, the policy gate sits in front. */
export function createCrmMcpServer(store: CrmStore, version: string, audit: AuditLog, log: (line: string) => void): McpServer {
  const server = new GatedMcpServer(
    { name: 'mcpsh-crm', version },
    { instructions: INSTRUCTIONS },
    (inner) => new PolicyGateTransport(inner, audit),
  );
  // Transport and gate errors (an audit line that could not be written) reach the log, not the void.
  server.server.onerror = (err) => log(`crm: ${errorMessage(err)}`);
  registerCrmTools(server, store);
  registerContactResources(server, store);
  return server;
}

export async function startCrmServer(options: CrmServerOptions, version = '0.0.0'): Promise<RunningCrmServer> {
  const log = options.log ?? (() => undefined);
  const db = openCrmDatabase(options.dbFile, await loadSqliteDriver('`mcpsh serve crm`'));
  let audit: AuditLog | undefined;
  try {
    const seeded = options.demo ? seedDemoData(db) : false;
    audit = AuditLog.open(options.auditFile);
    const store = new CrmStore(db);
    const auditLog = audit;
    const handler = new CrmHttpHandler({
      key: options.key,
      audit,
      limiter: new KeyedTokenBuckets({ capacity: options.ratePerMinute, refillPerSecond: options.ratePerMinute / 60 }),
      createServer: () => createCrmMcpServer(store, version, auditLog, log),
      maxSessions: MAX_SESSIONS,
      log,
    });
    const http = createServer(handler.listener);
    const port = await listen(http, options.host, options.port);
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        await handler.closeAll();
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
        db.close();
        auditLog.close();
      })());
    const urlHost = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
    return { url: `http://${urlHost}:${port}${MCP_PATH}`, host: options.host, port, seeded, close };
  } catch (err) {
    audit?.close();
    db.close();
    throw err;
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const where = `${host}:${port}`;
      if (err.code === 'EADDRINUSE') {
        reject(
          new AppError('SERVER_UNAVAILABLE', `cannot listen on ${where}: the port is already in use`, {
            hint: 'pick another with --port N, or --port 0 for any free port',
            cause: err,
          }),
        );
      } else {
        reject(new AppError('SERVER_UNAVAILABLE', `cannot listen on ${where}: ${errorMessage(err)}`, { cause: err }));
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
