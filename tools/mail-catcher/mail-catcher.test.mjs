// The demo inbox (#25): a link inside a message opens in a new tab. Inside the frame the app's pages
// refuse to be shown (frame-ancestors), which left people with a broken page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startMailCatcher } = require('./mail-catcher.cjs');
const nodemailer = require('nodemailer');

test('a message page shows the mail in a frame whose links open in a new tab', async () => {
  const catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  try {
    const transport = nodemailer.createTransport(catcher.smtpUrl);
    await transport.sendMail({
      from: 'demo@klantmonitor.local',
      to: 'client@voorbeeld.nl',
      subject: 'Hoe gaat het met de hulp?',
      html: '<p><a href="http://localhost:3000/v/abc">Vragen invullen</a></p>',
    });
    const [mail] = await (await fetch(`${catcher.httpUrl}/api/messages`)).json();
    const page = await (await fetch(`${catcher.httpUrl}/messages/${mail.id}`)).text();
    // The frame's document (srcdoc, escaped) starts with <base target="_blank">, then the mail.
    assert.match(page, /srcdoc="&lt;base target=&quot;_blank&quot;&gt;&lt;p&gt;&lt;a href=/);
    assert.match(page, /sandbox="[^"]*allow-popups-to-escape-sandbox/);
  } finally {
    await catcher.close();
  }
});
