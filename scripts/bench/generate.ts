// A synthetic "ten years" dataset for the benchmark: deterministic from a seed number, written in
// one transaction with prepared statements so that it takes seconds.
// Its SQL is written for better-sqlite3 directly, outside the query layer: named, with the reason,
// in RAW_SQL_ALLOWED of src/architecture.spec.ts (statement-count.spec runs it on every test run).
import SQLite from 'better-sqlite3';

/** The generated history starts in January of this year (the seeded plan's register ends in 2018). */
export const FIRST_GENERATED_YEAR = 2019;

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface Volumes {
	organisations: number;
	accounts: number;
	months: number;
	measurements: number;
	sittings: number;
}

/** `scale` 100 gives at least 100 times the seed's volume (the seed has 9 updates and 1 measurement). */
function volumesFor(scale: number): Volumes {
	return {
		organisations: 2 * scale,
		accounts: 20 * scale,
		months: Math.min(120, Math.max(12, Math.round(1.2 * scale))),
		measurements: 1000 * scale,
		sittings: Math.max(5, Math.round(scale / 2))
	};
}

const STATUSES = ['a_lancer', 'en_cours', 'en_cours', 'realisee', 'suspendue'];

export function generateHistory(
	path: string,
	scale: number,
	seed: number
): Volumes & { updates: number } {
	const volumes = volumesFor(scale);
	const rand = random(seed);
	const db = new SQLite(path);
	db.pragma('journal_mode = WAL');
	db.pragma('foreign_keys = ON');
	const fiches = db.prepare('SELECT id, code FROM fiche ORDER BY id').all() as Fiche[];
	const indicators = db.prepare('SELECT id, fiche_id FROM indicator ORDER BY id').all() as {
		id: number;
		fiche_id: number;
	}[];
	const now = new Date().toISOString();
	let updates = 0;
	// One transaction, each part in turn: `rand` is drawn in the same order for the same seed.
	db.transaction(() => {
		const orgIds = generateOrganisations(db, volumes, fiches, now);
		const updateIds = generateUpdates(db, volumes, fiches, orgIds, rand, now);
		updates = [...updateIds.values()].reduce((sum, ids) => sum + ids.length, 0);
		const measurement = db.prepare(
			'INSERT INTO measurement (indicator_id, progress_update_id, measured_on, value, comment) VALUES (?, ?, ?, ?, NULL)'
		);
		for (let i = 0; i < volumes.measurements; i++) {
			const indicator = indicators[i % indicators.length]!;
			const ids = updateIds.get(indicator.fiche_id)!;
			const month = Math.floor(rand() * volumes.months);
			const date = `${FIRST_GENERATED_YEAR + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`;
			measurement.run(indicator.id, ids[month % ids.length], date, Math.round(rand() * 1000));
		}
		// Fiche state as of the newest update, as validation would leave it.
		db.prepare(
			"UPDATE fiche SET status = (SELECT status FROM progress_update p WHERE p.fiche_id = fiche.id AND p.state = 'validated' AND p.status IS NOT NULL ORDER BY reported_on DESC, id DESC LIMIT 1), progress = (SELECT progress FROM progress_update p WHERE p.fiche_id = fiche.id AND p.state = 'validated' AND p.progress IS NOT NULL ORDER BY reported_on DESC, id DESC LIMIT 1), last_update = (SELECT max(reported_on) FROM progress_update p WHERE p.fiche_id = fiche.id AND p.state = 'validated')"
		).run();
		generateSittings(db, volumes, fiches, now);
	})();
	db.close();
	return { ...volumes, updates };
}

type Fiche = { id: number; code: string };

/**
 * The synthetic organisations, each a partner of one fiche (in turn), and the partners' accounts
 * spread over them: the organisations' ids.
 */
function generateOrganisations(
	db: SQLite.Database,
	volumes: Volumes,
	fiches: Fiche[],
	now: string
): number[] {
	const org = db.prepare(
		"INSERT INTO organisation (slug, name, full_name, kind) VALUES (?, ?, NULL, 'association')"
	);
	const orgIds: number[] = [];
	for (let i = 0; i < volumes.organisations; i++)
		orgIds.push(
			Number(
				org.run(`organisation-synthetique-${i}`, `Organisation synthétique ${i}`).lastInsertRowid
			)
		);
	const partner = db.prepare(
		'INSERT INTO fiche_partner (fiche_id, organisation_id, detail, position) VALUES (?, ?, NULL, ?)'
	);
	orgIds.forEach((id, i) => partner.run(fiches[i % fiches.length]!.id, id, 100 + i));
	const user = db.prepare(
		"INSERT INTO user_account (email, name, role, organisation_id, password_hash, disabled_at, created_at, updated_at) VALUES (?, ?, 'partenaire', ?, NULL, NULL, ?, ?)"
	);
	for (let i = 0; i < volumes.accounts; i++)
		user.run(`compte${i}@exemple.test`, `Compte ${i}`, orgIds[i % orgIds.length], now, now);
	return orgIds;
}

/** One validated update a month for each fiche, by a random organisation: their ids by fiche. */
function generateUpdates(
	db: SQLite.Database,
	volumes: Volumes,
	fiches: Fiche[],
	orgIds: number[],
	rand: () => number,
	now: string
): Map<number, number[]> {
	const update = db.prepare(
		"INSERT INTO progress_update (fiche_id, organisation_id, reported_on, status, progress, done, next_steps, difficulties, source, state, validated_at, version) VALUES (?, ?, ?, ?, ?, ?, '', '', NULL, 'validated', ?, 1)"
	);
	const updateIds = new Map<number, number[]>();
	for (const fiche of fiches) {
		for (let m = 0; m < volumes.months; m++) {
			const year = FIRST_GENERATED_YEAR + Math.floor(m / 12);
			const date = `${year}-${String((m % 12) + 1).padStart(2, '0')}-15`;
			const progress = Math.min(100, Math.round((m / volumes.months) * 100 + rand() * 10));
			const id = Number(
				update.run(
					fiche.id,
					orgIds[Math.floor(rand() * orgIds.length)],
					date,
					STATUSES[Math.floor(rand() * STATUSES.length)],
					progress,
					`Mise à jour synthétique ${m} de la fiche ${fiche.code}`,
					now
				).lastInsertRowid
			);
			updateIds.set(fiche.id, [...(updateIds.get(fiche.id) ?? []), id]);
		}
	}
	return updateIds;
}

/** Closed séances, five a year, each with four fiches on its agenda and an opinion on each. */
function generateSittings(db: SQLite.Database, volumes: Volumes, fiches: Fiche[], now: string) {
	const sitting = db.prepare(
		"INSERT INTO commission_session (held_on, place, title, state, source, created_by, created_at, closed_by, closed_at) VALUES (?, 'Cahors', 'Commission des usages numériques', 'closed', NULL, NULL, ?, NULL, ?)"
	);
	const item = db.prepare(
		'INSERT INTO agenda_item (session_id, fiche_id, title, position) VALUES (?, ?, NULL, ?)'
	);
	const decision = db.prepare(
		"INSERT INTO decision (session_id, agenda_item_id, kind, previous_priority, new_priority, opinion, text, recorded_by, recorded_at) VALUES (?, ?, 'opinion', NULL, NULL, 'favorable', 'Avis synthétique', NULL, ?)"
	);
	for (let s = 0; s < volumes.sittings; s++) {
		const date = `${FIRST_GENERATED_YEAR + Math.floor(s / 5)}-${String(2 + (s % 5) * 2).padStart(2, '0')}-10`;
		const sittingId = Number(sitting.run(date, now, now).lastInsertRowid);
		for (let k = 0; k < 4; k++) {
			const itemId = Number(
				item.run(sittingId, fiches[(s * 4 + k) % fiches.length]!.id, k + 1).lastInsertRowid
			);
			decision.run(sittingId, itemId, now);
		}
	}
}
