import { cacheStamps } from './change-stamp';
import type { Db } from './index';

/**
 * Values computed once per change of published data instead of once per request: each is kept
 * under the page cache's own stamp (the published revision, bumped by triggers in the transaction
 * of every change a public page shows, and SQLite's data_version for commits of other processes),
 * so the first call after a change computes it again. One small statement per call reads the
 * stamp. This keeps the inputs of a page, never its rendered answer: with the page cache switched
 * off, every request is still rendered.
 */
export function keyedByRevision<K extends string | number, T>(
	compute: (db: Db, key: K) => Promise<T>,
	maxKeys: number
): (db: Db, key: K) => Promise<T> {
	// Per database: tests and tools open several, whose revisions may be equal.
	const slots = new WeakMap<Db, { stamp: string; values: Map<K, Promise<T>> }>();
	return async (db, key) => {
		const { published } = await cacheStamps(db);
		let slot = slots.get(db);
		if (!slot || slot.stamp !== published) {
			slot = { stamp: published, values: new Map() };
			slots.set(db, slot);
		}
		const values = slot.values;
		let value = values.get(key);
		if (value) {
			// Least recently used first out: keep this key at the end.
			values.delete(key);
		} else {
			value = compute(db, key);
			const computed = value;
			computed.catch(() => {
				if (values.get(key) === computed) values.delete(key);
			});
		}
		values.set(key, value);
		if (values.size > maxKeys) values.delete(values.keys().next().value!);
		return value;
	};
}

/** One value per change of published data (see keyedByRevision). */
export function cachedByRevision<T>(compute: (db: Db) => Promise<T>): (db: Db) => Promise<T> {
	const keyed = keyedByRevision((db: Db) => compute(db), 1);
	return (db) => keyed(db, 0);
}
