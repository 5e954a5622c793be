// The lexical tool index: how names and texts become words, and that ranking puts the right tool first.
import { describe, expect, it } from 'vitest';
import { ToolSearchIndex, tokenize, type ToolDocument } from '../../../src/agent/tool-search-index.js';

const doc = (server: string, tool: string, description: string, params: string[] = [], title?: string): ToolDocument => ({
  name: `${server}__${tool}`,
  server,
  tool,
  description,
  params,
  ...(title ? { title } : {}),
});

describe('tokenize', () => {
  it('splits camelCase, PascalCase, acronyms, snake_case, kebab-case and dotted names, lower-cased', () => {
    expect(tokenize('getUserProfile')).toEqual(['get', 'user', 'profile']);
    expect(tokenize('get_user_profile')).toEqual(['get', 'user', 'profile']);
    expect(tokenize('get-user.profile')).toEqual(['get', 'user', 'profile']);
    expect(tokenize('parseHTTPResponse')).toEqual(['parse', 'http', 'response']);
    expect(tokenize('S3Bucket v2Api')).toEqual(['s3', 'bucket', 'v2', 'api']);
  });

  it('drops stop words and folds plurals the same way on both sides', () => {
    expect(tokenize('List the issues of a repository')).toEqual(['list', 'issue', 'repository']);
    expect(tokenize('categories')).toEqual(['category']);
    // Words that only look plural stay as they are.
    expect(tokenize('status class analysis')).toEqual(['status', 'class', 'analysis']);
  });

  it('keeps letters of other scripts as words', () => {
    expect(tokenize('tạo hóa đơn')).toEqual(['tạo', 'hóa', 'đơn']);
  });
});

describe('ToolSearchIndex', () => {
  const index = new ToolSearchIndex();
  index.upsert(doc('mail', 'send_message', 'Send an email to one or more recipients.', ['to', 'subject', 'body']));
  index.upsert(doc('mail', 'list_messages', 'List the messages in a mailbox folder.', ['folder']));
  index.upsert(doc('calendar', 'createEvent', 'Create a calendar event with attendees.', ['startTime', 'attendees'], 'New meeting'));
  index.upsert(
    doc('gitlab', 'create_issue', 'Open an issue in a project. Mentions email notifications in passing.', ['projectId', 'title']),
  );
  index.upsert(doc('files', 'read_file', 'Read a text file from disk.', ['path']));

  it('ranks a tool whose name says it above one that mentions the word in passing', () => {
    expect(index.search('send email', 3)[0]?.name).toBe('mail__send_message');
    expect(index.search('create issue', 3)[0]?.name).toBe('gitlab__create_issue');
  });

  it('finds tools by parameter names and titles, split like names', () => {
    expect(index.search('start time', 1)[0]?.name).toBe('calendar__createEvent');
    expect(index.search('meeting', 1)[0]?.name).toBe('calendar__createEvent');
    expect(index.search('project id', 1)[0]?.name).toBe('gitlab__create_issue');
  });

  it('puts the tool first when the query is its exact name', () => {
    expect(index.search('files__read_file', 5)[0]?.name).toBe('files__read_file');
  });

  it('returns at most limit hits, nothing for unknown words, and the same order every time', () => {
    expect(index.search('email', 1)).toHaveLength(1);
    expect(index.search('zebra quantum', 5)).toEqual([]);
    expect(index.search('create', 5)).toEqual(index.search('create', 5));
  });

  it('breaks ties by name, so insertion order never decides', () => {
    const a = new ToolSearchIndex();
    a.upsert(doc('s', 'b_tool', 'same words here'));
    a.upsert(doc('s', 'a_tool', 'same words here'));
    const b = new ToolSearchIndex();
    b.upsert(doc('s', 'a_tool', 'same words here'));
    b.upsert(doc('s', 'b_tool', 'same words here'));
    expect(a.search('words', 2).map((h) => h.name)).toEqual(['s__a_tool', 's__b_tool']);
    expect(b.search('words', 2).map((h) => h.name)).toEqual(['s__a_tool', 's__b_tool']);
  });

  it('replaces and removes documents, and stays right through many removals', () => {
    const i = new ToolSearchIndex();
    for (let n = 0; n < 3000; n++) i.upsert(doc('big', `tool_${n}`, `filler number ${n}`));
    i.upsert(doc('x', 'weather', 'Forecast for a city.'));
    expect(i.search('forecast', 1)[0]?.name).toBe('x__weather');
    i.upsert(doc('x', 'weather', 'Current conditions only.'));
    expect(i.search('forecast', 1)).toEqual([]);
    for (let n = 0; n < 3000; n++) i.remove(`big__tool_${n}`);
    expect(i.size).toBe(1);
    expect(i.search('filler', 5)).toEqual([]);
    expect(i.search('conditions', 1)[0]?.name).toBe('x__weather');
  });
});
