import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/*
 * A minimal SMTP receiver (RFC 5321 §4.1: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no
 * STARTTLS offered, so nodemailer stays in plain text on loopback). It records every message the
 * moment its data is complete, BEFORE answering 250: a sender killed in between has delivered a
 * mail it does not know about, which is exactly the at-least-once window the outbox must survive.
 */

export interface ReceivedMail {
  messageId: string | null;
  raw: string;
}

export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** Answer the first `count` mails at once, then hold every later 250 until `answerAll()`. */
  stallAfter(count: number): void;
  answerAll(): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let answerUpTo = Infinity;
  const held: (() => void)[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy()); // the sender was killed: nothing to answer
    const send = (line: string) => {
      if (!socket.destroyed) socket.write(`${line}\r\n`);
    };
    let buffer = '';
    let inData = false;

    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = buffer.slice(0, end).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push({ messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null, raw });
          const answer = () => send('250 2.0.0 queued');
          if (received.length <= answerUpTo) answer();
          else held.push(answer);
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') send('250 sink.test');
        else if (verb === 'DATA') {
          inData = true;
          send('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          send('221 bye');
          socket.end();
        } else send('250 ok'); // MAIL, RCPT, RSET, NOOP
      }
    };
    socket.on('data', onData);
    send('220 sink.test ESMTP');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    received,
    stallAfter(count) {
      answerUpTo = count;
    },
    answerAll() {
      answerUpTo = Infinity;
      for (const answer of held.splice(0)) answer();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
