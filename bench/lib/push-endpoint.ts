// A stand-in push service in its own process: accepts every POST with 201, like a push service
// that queued the message, and counts them. It only drains bodies; decryption is tested elsewhere.
import { createServer } from 'node:http';

let received = 0;
createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(201).end();
  });
})
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'))
  .on('close', () => console.log(`received ${received}`));
