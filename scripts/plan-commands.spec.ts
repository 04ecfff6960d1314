import { spawnSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { testChild, type TestChild } from './test-children';
import { openDatabase } from '../src/lib/server/db/index';

const root = mkdtempSync(join(tmpdir(), 'sdusn-plan-commands-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const EXAMPLE = join(process.cwd(), 'tests/fixtures/plan-exemple.xlsx');

/** Where a test runs its commands: its own folder and database file. */
interface Place {
	dir: string;
	database: string;
}

let places = 0;
function freshPlace(): Place {
	const dir = join(root, String(++places));
	mkdirSync(dir);
	return { dir, database: join(dir, 'autre-territoire.db') };
}

function command(at: Place, script: TestChild, args: string[], env: NodeJS.ProcessEnv = {}) {
	return spawnSync(process.execPath, [testChild(script), ...args], {
		env: { ...process.env, DATABASE_PATH: at.database, INIT_CWD: at.dir, PLAN_FILE: '', ...env },
		encoding: 'utf8',
		timeout: 120_000
	});
}

let template: Promise<string> | undefined;

/**
 * A place whose database holds the example workbook's plan: imported once per run of this file,
 * then copied, so that each test starts from the same plan whatever ran before.
 */
async function examplePlace(): Promise<Place> {
	template ??= (async () => {
		const at = freshPlace();
		const result = command(at, 'plan-import', [EXAMPLE, '--creer']);
		if (result.status !== 0) throw new Error(result.stderr);
		return at.database;
	})();
	const source = await template;
	const at = freshPlace();
	// The command closed its database; a write-ahead log left beside it is copied along.
	for (const suffix of ['', '-wal'])
		if (existsSync(`${source}${suffix}`))
			copyFileSync(`${source}${suffix}`, `${at.database}${suffix}`);
	return at;
}

async function state(at: Place) {
	const db = openDatabase(at.database);
	try {
		const [fiches, revisions] = await Promise.all([
			db.selectFrom('fiche').select(['code', 'title']).orderBy('code').execute(),
			db
				.selectFrom('plan_revision')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.executeTakeFirstOrThrow()
		]);
		return { fiches, revisions: Number(revisions.n) };
	} finally {
		await db.destroy();
	}
}

describe('plan:import and plan:export', () => {
	it('an empty database takes the plan of the example workbook, not the Lot plan', async () => {
		const at = freshPlace();
		const result = command(at, 'plan-import', [EXAMPLE, '--creer']);
		expect(result.status, result.stderr).toBe(0);
		expect(result.stdout).toContain('Plan à créer');
		expect(result.stdout).toContain('Import terminé');
		const { fiches } = await state(at);
		expect(fiches.map((f) => f.code)).toEqual(['1-1', '2-1', '3-1']);
		expect(fiches[0]!.title).toBe('Guichet unique des démarches brumoises');
	}, 120_000);

	it('exports the plan, and the unchanged file imports as « aucune modification »', async () => {
		const at = await examplePlace();
		const exported = command(at, 'plan-export', ['--out', 'plan.xlsx']);
		expect(exported.status, exported.stderr).toBe(0);
		const again = command(at, 'plan-import', ['plan.xlsx', '--reason', 'Relecture']);
		expect(again.status, again.stderr).toBe(0);
		expect(again.stdout.trim()).toBe(
			'Aucune modification : le classeur est identique au plan actuel.'
		);
	}, 120_000);

	it('--dry-run lists the changes and writes nothing; without a reason nothing is written', async () => {
		const at = await examplePlace();
		expect(command(at, 'plan-export', ['--out', 'plan.xlsx']).status).toBe(0);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(
			new Uint8Array(readFileSync(join(at.dir, 'plan.xlsx'))) as unknown as ArrayBuffer
		);
		workbook.getWorksheet('Fiches')!.getCell('C2').value = 'Guichet unique des démarches';
		writeFileSync(join(at.dir, 'modifie.xlsx'), new Uint8Array(await workbook.xlsx.writeBuffer()));
		const before = await state(at);

		const dry = command(at, 'plan-import', ['modifie.xlsx', '--dry-run', '--reason', 'Essai']);
		expect(dry.status, dry.stderr).toBe(0);
		expect(dry.stdout).toContain(
			'Titre : « Guichet unique des démarches brumoises » → « Guichet unique des démarches »'
		);
		expect(dry.stdout).toContain('Essai à blanc (--dry-run) : rien n’a été modifié.');
		expect(await state(at)).toEqual(before);

		const noReason = command(at, 'plan-import', ['modifie.xlsx']);
		expect(noReason.status).toBe(1);
		expect(noReason.stderr).toContain('Indiquez la raison de ces modifications avec --reason');
		expect(await state(at)).toEqual(before);

		const applied = command(at, 'plan-import', ['modifie.xlsx', '--reason', 'Titre raccourci']);
		expect(applied.status, applied.stderr).toBe(0);
		const after = await state(at);
		expect(after.fiches[0]!.title).toBe('Guichet unique des démarches');
		expect(after.revisions).toBe(before.revisions + 1);
	}, 120_000);

	// Left noticed s47: the command abandoned the fiches left out of the workbook unasked, while
	// the web import wants a box ticked for each.
	it('abandons a fiche left out of the workbook only when --abandonner names it', async () => {
		const at = await examplePlace();
		expect(command(at, 'plan-export', ['--out', 'plan.xlsx']).status).toBe(0);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(
			new Uint8Array(readFileSync(join(at.dir, 'plan.xlsx'))) as unknown as ArrayBuffer
		);
		for (const sheet of workbook.worksheets)
			for (let r = sheet.rowCount; r >= 2; r--)
				if ([1, 2].some((c) => sheet.getRow(r).getCell(c).value === '3-1')) sheet.spliceRows(r, 1);
		writeFileSync(join(at.dir, 'sans-3-1.xlsx'), new Uint8Array(await workbook.xlsx.writeBuffer()));
		const statusOf31 = async () => {
			const db = openDatabase(at.database);
			try {
				return (
					await db
						.selectFrom('fiche')
						.select('status')
						.where('code', '=', '3-1')
						.executeTakeFirstOrThrow()
				).status;
			} finally {
				await db.destroy();
			}
		};
		const before = await statusOf31();
		expect(before).not.toBe('abandonnee');

		const dry = command(at, 'plan-import', ['sans-3-1.xlsx', '--dry-run']);
		expect(dry.status, dry.stderr).toBe(0);
		expect(dry.stdout).toContain(
			'Fiche abandonnée, définitivement : 3-1 (l’import le demande confirmé par --abandonner 3-1).'
		);

		const unasked = command(at, 'plan-import', ['sans-3-1.xlsx', '--reason', 'Fiche close']);
		expect(unasked.status).toBe(1);
		expect(unasked.stderr).toContain(
			'Ce classeur abandonnerait la fiche 3-1, absente du classeur : un abandon ne se défait pas. Pour l’abandonner, ajoutez --abandonner 3-1 ; rien n’a été modifié.'
		);
		expect(await statusOf31()).toBe(before);

		const mistyped = command(at, 'plan-import', [
			'sans-3-1.xlsx',
			'--reason',
			'Fiche close',
			'--abandonner',
			'3-1,2-9'
		]);
		expect(mistyped.status).toBe(1);
		expect(mistyped.stderr).toContain('--abandonner nomme 2-9, que ce classeur n’abandonne pas');
		expect(await statusOf31()).toBe(before);

		const confirmed = command(at, 'plan-import', [
			'sans-3-1.xlsx',
			'--reason',
			'Fiche close',
			'--abandonner=3-1'
		]);
		expect(confirmed.status, confirmed.stderr).toBe(0);
		expect(await statusOf31()).toBe('abandonnee');
	}, 120_000);

	it('a file that is not a valid workbook: the problems in French, exit 1, nothing written', async () => {
		const at = await examplePlace();
		writeFileSync(join(at.dir, 'faux.xlsx'), 'code;titre\n');
		const before = await state(at);
		const result = command(at, 'plan-import', ['faux.xlsx', '--reason', 'Essai']);
		expect(result.status).toBe(1);
		expect(result.stderr).toContain('Le classeur n’est pas valable, rien n’a été modifié');
		expect(result.stderr).toContain('n’est pas un classeur Excel (.xlsx) lisible');
		expect(await state(at)).toEqual(before);
	}, 120_000);
});
