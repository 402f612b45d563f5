/**
 * The yardstick: a bare Express 5 app answering `GET /pr/v1/persons/:personId` with the same JSON as readPerson,
 * without validation, storage, logging or metrics.
 */
import express from 'express';

const app = express();
app.get('/pr/v1/persons/:personId', (req, res) => {
  res.json({ personId: req.params.personId, status: 'ACTIVE', physicalStatus: 'ALIVE' });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ msg: 'listening', port: typeof address === 'object' ? address?.port : 0 }));
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
