import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration must not import application code.
//
// What a séance keeps of its last convocation (`convened_as.written`) named those it did not reach
// (they had turned the commission's messages off) for ever: « vous-même », a member's name, « un
// compte de CDG46 ». It now keeps them by account and group ({ id, group }), named only when its
// convener reads the summary again. The names kept so far are rewritten: « vous-même » as the
// convener's account, a member's name as the one account of the commission so named; any
// other (a partner named by organisation, a name two members share, one gone) is left out, the
// summary naming one fewer (it is read only in the ten minutes after its sending).

type Written = { by?: number; notReached?: unknown[] };

export async function up(db: Kysely<unknown>): Promise<void> {
	const { rows } = await sql<{ id: number; convened_as: string }>`
		SELECT id, convened_as FROM commission_session
		WHERE json_type(convened_as, '$.written.notReached') = 'array'`.execute(db);
	const { rows: members } = await sql<{ id: number; name: string }>`
		SELECT id, name FROM user_account WHERE role = 'commission'`.execute(db);
	const named = new Map<string, number[]>();
	for (const { id, name } of members) named.set(name, [...(named.get(name) ?? []), id]);
	for (const row of rows) {
		const convened = JSON.parse(row.convened_as) as { written: Written };
		const { written } = convened;
		if (!written.notReached?.some((who) => typeof who === 'string')) continue;
		written.notReached = written.notReached.flatMap((who) => {
			if (typeof who !== 'string') return [who];
			const id = who === 'vous-même' ? written.by : named.get(who)?.[0];
			const sure = who === 'vous-même' || named.get(who)?.length === 1;
			return sure && id !== undefined ? [{ id, group: 'members' }] : [];
		});
		await sql`UPDATE commission_session SET convened_as = ${JSON.stringify(convened)}
			WHERE id = ${row.id}`.execute(db);
	}
}

// Not undone: the names are not written back.
export async function down(): Promise<void> {}
