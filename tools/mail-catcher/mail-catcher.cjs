/**
 * A local mail catcher and SMS provider for tests and the demo: a real SMTP server on loopback
 * (smtp-server, messages parsed with mailparser) and an HTTP server with
 *   GET  /                      a web inbox (mail and SMS, newest first), GET /messages/:id one message
 *   GET  /api/messages[?to=]    received mail as JSON   DELETE /api/messages  forget everything
 *   GET  /api/sms[?to=]         received SMS as JSON
 *   POST /sms                   the SMS provider endpoint (Bearer key, Idempotency-Key honoured)
 *   POST /api/hold {to}         hold the SMTP "250 accepted" for mail to `to` (fault tests); a
 *                               message whose connection drops while held is not delivered, as in SMTP
 *   POST /api/release           release held messages;  GET /api/held  how many wait
 * CommonJS, so Jest, Playwright and the demo script can all load it.
 */
const { createServer } = require('node:http');
const { randomUUID } = require('node:crypto');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const esc = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

async function startMailCatcher(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const smsKey = options.smsKey ?? 'test-sms-key-0123456789';
  const mails = [];
  const sms = [];
  const smsKeys = new Set();
  const holds = new Set();
  const held = new Map(); // session id -> release function
  let failSmsStatus = null;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const message = {
            id: randomUUID(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? null,
            date: new Date().toISOString(),
          };
          const deliver = () => {
            mails.push(message);
            callback();
          };
          if (to.some((t) => holds.has(t))) {
            held.set(session.id, deliver);
          } else deliver();
        })
        .catch((e) => callback(e));
    },
    onClose(session) {
      // The client went away before we said "accepted": the message was never delivered.
      held.delete(session.id);
    },
  });
  await new Promise((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, host, resolve);
  });
  smtp.on('error', () => undefined);
  const smtpPort = smtp.server.address().port;

  const json = (res, status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const readBody = (req) =>
    new Promise((resolve) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        } catch {
          resolve(null);
        }
      });
    });
  const filter = (list, url) => {
    const to = url.searchParams.get('to');
    return to ? list.filter((m) => (Array.isArray(m.to) ? m.to.includes(to.toLowerCase()) : m.to === to)) : list;
  };

  const http = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/sms') {
      if (req.headers.authorization !== `Bearer ${smsKey}`) return json(res, 401, { error: 'bad key' });
      const body = await readBody(req);
      if (!body || typeof body.to !== 'string' || typeof body.text !== 'string')
        return json(res, 400, { error: 'to and text required' });
      if (failSmsStatus) return json(res, failSmsStatus, { error: 'provider says no' });
      const key = req.headers['idempotency-key'];
      if (key && smsKeys.has(key)) return json(res, 200, { duplicate: true });
      if (key) smsKeys.add(key);
      const m = {
        id: randomUUID(),
        to: body.to,
        text: body.text,
        reference: body.reference ?? null,
        date: new Date().toISOString(),
      };
      sms.push(m);
      return json(res, 202, { id: m.id });
    }
    if (url.pathname === '/api/messages' && req.method === 'GET') return json(res, 200, filter(mails, url));
    if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      mails.length = 0;
      sms.length = 0;
      smsKeys.clear();
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/api/sms' && req.method === 'GET') return json(res, 200, filter(sms, url));
    if (url.pathname === '/api/hold' && req.method === 'POST') {
      const body = await readBody(req);
      holds.add(String(body && body.to).toLowerCase());
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/api/release' && req.method === 'POST') {
      holds.clear();
      for (const deliver of held.values()) deliver();
      held.clear();
      return json(res, 200, { ok: true });
    }
    if (url.pathname === '/api/held' && req.method === 'GET') return json(res, 200, { held: held.size });
    if (url.pathname === '/api/sms-failure' && req.method === 'POST') {
      const body = await readBody(req);
      failSmsStatus = body && body.status ? Number(body.status) : null;
      return json(res, 200, { ok: true });
    }
    if (url.pathname.startsWith('/messages/') && req.method === 'GET') {
      const m = mails.find((x) => x.id === url.pathname.slice('/messages/'.length));
      if (!m) return json(res, 404, { error: 'not found' });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer' });
      return res.end(
        `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${esc(m.subject)}</title></head><body style="font-family:sans-serif;max-width:760px;margin:1rem auto">` +
          `<p><a href="/">&larr; Inbox</a></p><h1 style="font-size:1.2rem">${esc(m.subject)}</h1><p>Aan: ${esc(m.to.join(', '))}<br>Van: ${esc(m.from)}<br>${esc(m.date)}</p>` +
          // Links open in a new tab: inside the frame the app refuses to be shown (frame-ancestors) (#25).
          `<iframe title="Bericht" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" style="width:100%;height:70vh;border:1px solid #ccc" srcdoc="${esc(`<base target="_blank">${m.html || `<pre>${esc(m.text)}</pre>`}`)}"></iframe></body></html>`,
      );
    }
    if (url.pathname === '/' && req.method === 'GET') {
      const rows = [
        ...mails.map((m) => ({
          date: m.date,
          kind: 'e-mail',
          to: m.to.join(', '),
          what: `<a href="/messages/${m.id}">${esc(m.subject)}</a>`,
        })),
        ...sms.map((m) => ({
          date: m.date,
          kind: 'sms',
          to: m.to,
          what: esc(m.text).replace(/(https?:\/\/\S+)/g, '<a href="$1">$1</a>'),
        })),
      ].sort((a, b) => (a.date < b.date ? 1 : -1));
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer' });
      return res.end(
        `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Klantmonitor demo-inbox</title></head>` +
          `<body style="font-family:sans-serif;max-width:960px;margin:1rem auto"><h1>Demo-inbox (e-mail en sms)</h1>` +
          `<p>Alles wat de demo verstuurt, komt hier binnen. De pagina ververst elke 5 seconden.</p>` +
          `<table style="border-collapse:collapse;width:100%"><thead><tr><th align="left">Tijd</th><th align="left">Soort</th><th align="left">Aan</th><th align="left">Bericht</th></tr></thead><tbody>` +
          (rows
            .map(
              (r) =>
                `<tr><td>${esc(r.date.slice(0, 19).replace('T', ' '))}</td><td>${r.kind}</td><td>${esc(r.to)}</td><td>${r.what}</td></tr>`,
            )
            .join('') || '<tr><td colspan="4">Nog geen berichten.</td></tr>') +
          `</tbody></table></body></html>`,
      );
    }
    return json(res, 404, { error: 'not found' });
  });
  await new Promise((resolve) => http.listen(options.httpPort ?? 0, host, resolve));
  const httpPort = http.address().port;

  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    httpUrl: `http://${host}:${httpPort}`,
    smsUrl: `http://${host}:${httpPort}/sms`,
    smsKey,
    mails,
    sms,
    async close() {
      await new Promise((r) => smtp.close(r));
      await new Promise((r) => http.close(r));
    },
  };
}

module.exports = { startMailCatcher };

if (require.main === module) {
  const smtpPort = Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025);
  const httpPort = Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 1080);
  startMailCatcher({ smtpPort, httpPort }).then((c) => {
    console.log(`Mail catcher: SMTP ${c.smtpUrl}, inbox ${c.httpUrl}, SMS provider ${c.smsUrl} (key ${c.smsKey})`);
  });
}
