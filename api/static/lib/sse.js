// A Server-Sent Events reader over fetch() (EventSource cannot send an Authorization header).

/**
 * Parse one event block (the lines between blank lines). Returns null for blocks that carry no
 * data, such as `: heartbeat` comments.
 */
export function parseBlock(block) {
  let event = "message";
  const data = [];
  let id = null;
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "event") event = value;
    else if (name === "data") data.push(value);
    else if (name === "id") id = value;
  }
  if (data.length === 0) return null;
  return { event, data: data.join("\n"), id };
}

/**
 * Yield every event of a streaming `Response` body until the server closes it; `onChunk` is called
 * for every piece received (comments included). An incomplete event at the very end (no blank line
 * after it) is dropped, as the SSE standard says.
 */
export async function* readEvents(response, onChunk = () => {}) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      onChunk();
      buffer += value;
      // CRLF and lone CR are line ends too; keep a trailing CR until we know what follows it.
      const safe = buffer.endsWith("\r") ? buffer.length - 1 : buffer.length;
      let text = buffer.slice(0, safe).replace(/\r\n?/g, "\n");
      const rest = buffer.slice(safe);
      let end;
      while ((end = text.indexOf("\n\n")) !== -1) {
        const event = parseBlock(text.slice(0, end));
        text = text.slice(end + 2);
        if (event) yield event;
      }
      buffer = text + rest;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
