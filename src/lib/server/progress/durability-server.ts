// Child process of durability.spec.ts: serves progress submissions through the real service and
// database settings, so the test can kill it at any moment. Not part of the portal.
// Each accepted submission is validated at once (as staff would), so that the next one for the same
// fiche and organisation is not refused as a second open update; so are those a kill left behind.
import { createServer } from 'node:http';
import process from 'node:process';
import { findUserById } from '../auth/users';
import { initDatabase } from '../db/instance';
import { listSubmittedUpdates } from './repository';
import { reviewProgressUpdate, saveProgressUpdate } from './service';
import { progressInput } from './testing';

const db = await initDatabase(process.env.DATABASE_PATH);
const admin = (await findUserById(db, Number(process.env.ADMIN_ID)))!;
const validate = (updateId: number, version: number) =>
	reviewProgressUpdate(db, admin, { updateId, version, decision: 'validate', comment: '' }, null);
for (const left of await listSubmittedUpdates(db)) await validate(left.id, left.version);

const server = createServer((req, res) => {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const userId = Number(url.searchParams.get('user'));
	const fiche = url.searchParams.get('fiche') ?? '9-1';
	const key = url.searchParams.get('key') ?? '';
	void (async () => {
		try {
			const user = await findUserById(db, userId);
			if (!user) throw new Error('unknown user');
			const result = await saveProgressUpdate(
				db,
				user,
				fiche,
				null,
				progressInput({ submissionKey: key, done: `soumission ${key}` }),
				null
			);
			res.writeHead(result.ok ? 200 : 409, { 'content-type': 'application/json' });
			res.end(JSON.stringify(result));
			if (result.ok && !result.value.duplicate) await validate(result.value.id, 1);
		} catch (error) {
			res.writeHead(500);
			res.end(String(error));
		}
	})();
});
server.listen(0, '127.0.0.1', () => {
	const address = server.address();
	process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
});
