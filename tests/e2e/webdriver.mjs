// A dependency-free W3C WebDriver client over Node's fetch, enough to drive the real app
// through tauri-driver (which forwards to WebKitWebDriver).

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class Driver {
  constructor(base = 'http://127.0.0.1:4444') {
    this.base = base;
    this.sessionId = null;
  }

  async request(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) {
      const v = json.value || {};
      throw new Error(`${method} ${path}: ${res.status} ${v.error || ''} ${v.message || ''}`.trim());
    }
    return json.value;
  }

  s(path) {
    return `/session/${this.sessionId}${path}`;
  }

  async start(application, args = []) {
    const value = await this.request('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application, args } } },
    });
    this.sessionId = value.sessionId;
  }

  async quit() {
    if (this.sessionId) await this.request('DELETE', this.s('')).catch(() => {});
    this.sessionId = null;
  }

  async findAll(css) {
    const els = await this.request('POST', this.s('/elements'), { using: 'css selector', value: css });
    return els.map((e) => new Element(this, e[ELEMENT]));
  }

  /** Resize the window, as a person with a small screen has it. */
  async setSize(width, height) {
    await this.request('POST', this.s('/window/rect'), { width, height });
  }

  /** Wait until `css` matches at least one element (and `pred` holds for the first), or fail. */
  async waitFor(css, { timeout = 15000, text } = {}) {
    const until = Date.now() + timeout;
    let last = '';
    while (Date.now() < until) {
      try {
        const els = await this.findAll(css);
        if (els.length) {
          if (text === undefined) return els[0];
          for (const el of els) {
            last = await el.text();
            if (text instanceof RegExp ? text.test(last) : last.includes(text)) return el;
          }
        }
      } catch (e) {
        last = String(e);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`timed out waiting for ${css}${text ? ` containing "${text}"` : ''} (last seen: ${last.slice(0, 200)})`);
  }

  async execute(script, args = []) {
    return this.request('POST', this.s('/execute/sync'), { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.request('GET', this.s('/screenshot')), 'base64');
  }
}

export class Element {
  constructor(driver, id) {
    this.d = driver;
    this.id = id;
  }
  p(path) {
    return this.d.s(`/element/${this.id}${path}`);
  }
  async click() {
    // Sticky headers and footers can cover an element scrolled just into view: centre it first.
    await this.d.execute(
      'const el = arguments[0]; (el.closest("select") || el).scrollIntoView({block: "center"});',
      [{ [ELEMENT]: this.id }],
    );
    return this.d.request('POST', this.p('/click'), {});
  }
  async type(text) {
    return this.d.request('POST', this.p('/value'), { text });
  }
  clear() {
    return this.d.request('POST', this.p('/clear'), {});
  }
  text() {
    return this.d.request('GET', this.p('/text'));
  }
  /** Choose an option of a <select> as a person would with the list open: WebKitWebDriver's
   *  click on an <option> does not always switch the select, so set it and fire the events. */
  async select(value) {
    await this.d.execute(
      'const el = arguments[0]; el.value = arguments[1]; el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true}));',
      [{ [ELEMENT]: this.id }, value],
    );
  }
  async findAll(css) {
    const els = await this.d.request('POST', this.p('/elements'), { using: 'css selector', value: css });
    return els.map((e) => new Element(this.d, e[ELEMENT]));
  }
  async find(css) {
    const [el] = await this.findAll(css);
    if (!el) throw new Error(`no ${css} inside element`);
    return el;
  }
  attr(name) {
    return this.d.request('GET', this.p(`/attribute/${name}`));
  }
}
