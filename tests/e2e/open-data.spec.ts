import { spawnSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { E2E_DATABASE } from '../../playwright.config';

function exportCommand(format: 'json' | 'csv'): string {
	const result = spawnSync('npm', ['run', '--silent', 'export', '--', '--format', format], {
		env: { ...process.env, DATABASE_PATH: E2E_DATABASE },
		encoding: 'utf8'
	});
	expect(result.stderr).toMatch(/^Base de données : .*\n$/);
	expect(result.status).toBe(0);
	return result.stdout;
}

test('the endpoint and the export command give identical JSON', async ({ request }) => {
	const response = await request.get('/donnees/plan.json');
	expect(response.status()).toBe(200);
	expect(response.headers()['content-type']).toMatch(/^application\/json/);
	const served = await response.text();
	expect(exportCommand('json')).toBe(served);
	const document = JSON.parse(served);
	expect(document.schema).toBe('sdusn/plan@1');
	expect(document.fiches).toHaveLength(23);
});

test('the CSV endpoint and the export command agree, and the CSV parses strictly', async ({
	request
}) => {
	const response = await request.get('/donnees/fiches.csv');
	expect(response.headers()['content-type']).toMatch(/^text\/csv/);
	const served = await response.text();
	expect(exportCommand('csv')).toBe(served);
	const rows = parse(served) as string[][];
	expect(rows).toHaveLength(24);
	const json = await (await request.get('/donnees/plan.json')).json();
	expect(rows.slice(1).map((r) => [r[0], Number(r[5]), r[9]])).toEqual(
		json.fiches.map((f: { code: string; priority: number; status: string }) => [
			f.code,
			f.priority,
			f.status
		])
	);
});
