// A stand-in for the Anthropic Messages API on a loopback port. It plays a scripted tool-using
// conversation over Anthropic's SSE events, refuses the very first call with a 529 (the client
// must retry it), and records the usage it returned on every successful call: that record is
// the independent truth the tests compare ccanalytics with.

import { createServer } from 'node:http';

// What the main conversation does, one step per model call: each tool_use makes the client run
// the tool and call again with its result.
export function scriptedSteps(projectDir) {
  const file = `${projectDir}/hello.py`;
  return [
    { tool: 'Write', input: { file_path: file, content: "print('hello')\nprint('world')\n" } },
    { tool: 'Bash', input: { command: 'echo ccanalytics-client-test', description: 'Print a marker' } },
    { tool: 'Edit', input: { file_path: file, old_string: "print('world')", new_string: "print('there')\nprint('world!')" } },
    { tool: 'Read', input: { file_path: file } },
    { text: 'Wrote hello.py, ran echo, edited and read the file back.' },
  ];
}

// Distinct figures per call, so that a lost, repeated or misattributed call shows in the sums.
function usageFor(call) {
  return {
    input_tokens: 100 + 17 * call,
    output_tokens: 20 + 3 * call,
    cache_read_input_tokens: 1000 * call,
    cache_creation_input_tokens: 40 + call,
  };
}

function sse(response, event, data) {
  response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
}

function readJson(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch (error) {
        reject(error);
      }
    });
    request.on('error', reject);
  });
}

// The conversation step of a main-thread request is the number of tool results it carries.
function toolResultsIn(body) {
  let n = 0;
  for (const message of body.messages ?? []) {
    if (message.role !== 'user' || !Array.isArray(message.content)) continue;
    n += message.content.filter((block) => block.type === 'tool_result').length;
  }
  return n;
}

function contentFor(body, steps) {
  const mainThread = Array.isArray(body.tools) && body.tools.some((t) => t.name === 'Write');
  if (!mainThread) return { blocks: [{ type: 'text', text: 'Scripted answer' }], stop: 'end_turn', main: false };
  const step = steps[Math.min(toolResultsIn(body), steps.length - 1)];
  if (step.text) return { blocks: [{ type: 'text', text: step.text }], stop: 'end_turn', main: true };
  const id = `toolu_${String(toolResultsIn(body)).padStart(4, '0')}${Math.random().toString(36).slice(2, 10)}`;
  return { blocks: [{ type: 'tool_use', id, name: step.tool, input: step.input }], stop: 'tool_use', main: true };
}

function streamMessage(response, id, model, usage, blocks, stop) {
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'request-id': id });
  sse(response, 'message_start', {
    message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
  });
  blocks.forEach((block, index) => {
    if (block.type === 'text') {
      sse(response, 'content_block_start', { index, content_block: { type: 'text', text: '' } });
      sse(response, 'content_block_delta', { index, delta: { type: 'text_delta', text: block.text } });
    } else {
      sse(response, 'content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
      sse(response, 'content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } });
    }
    sse(response, 'content_block_stop', { index });
  });
  // Like the real API, the final usage is cumulative: the client keeps it as the call's usage.
  sse(response, 'message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage });
  sse(response, 'message_stop', {});
  response.end();
}

// Returns { url, calls, unexpected, refused, close }. calls: one entry per successful
// /v1/messages answer, { model, usage, main, stop }.
export async function startMessagesApi({ projectDir }) {
  const steps = scriptedSteps(projectDir);
  const calls = [];
  const unexpected = [];
  let refused = 0;
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url, 'http://stand-in');
      if (request.method === 'POST' && url.pathname === '/v1/messages') {
        const body = await readJson(request);
        if (refused === 0) {
          refused += 1;
          response.writeHead(529, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
          return;
        }
        const call = calls.length + 1;
        const usage = usageFor(call);
        const model = body.model;
        const { blocks, stop, main } = contentFor(body, steps);
        const id = `msg_standin_${call}`;
        calls.push({ model, usage, main, stop, stream: body.stream === true });
        if (body.stream) {
          streamMessage(response, id, model, usage, blocks, stop);
        } else {
          response.writeHead(200, { 'Content-Type': 'application/json', 'request-id': id });
          response.end(JSON.stringify({ id, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stop, stop_sequence: null, usage }));
        }
        return;
      }
      await readJson(request).catch(() => ({}));
      unexpected.push(`${request.method} ${url.pathname}`);
      if (url.pathname === '/v1/messages/count_tokens') {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ input_tokens: 10 }));
        return;
      }
      response.writeHead(404, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `no ${url.pathname} here` } }));
    } catch (error) {
      response.writeHead(400, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: String(error) } }));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls,
    unexpected,
    refusals: () => refused,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
