import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import type { User } from '../auth/users';
import { reviewProgressUpdate, saveProgressUpdate } from '../progress/service';
import { findFicheForReporting } from '../progress/repository';
import { progressInput, submittedWith, takeOffFiche } from '../progress/testing';
import { createTestUser, PEOPLE } from '../auth/testing';
import { DIGEST_EVERY_MS, sendSubmissionDigest } from './notifications';
import { savePreferences } from './preferences-repository';
import { outboxPage } from './outbox';
import { startMailTestWithPeople, type MailTest } from './test-context';

// A séance's mailings (convocation, closing, cancellation) are tested in
// src/lib/server/commission/convocation.spec.ts.

let db: Db;
let mail: MailTest;
let admin: User;
let partner: User;
let colleague: User;
let clock = Date.parse('2026-02-27T09:00:00Z');

beforeEach(async () => {
	clock = Date.parse('2026-02-27T09:00:00Z');
	({ mail, admin, partner, colleague } = await startMailTestWithPeople(() => clock + 1));
	db = mail.db;
});
afterEach(() => mail.close());

const deliver = () => mail.deliver();

async function submit(fiche: string, key: string) {
	const result = await saveProgressUpdate(
		db,
		partner,
		fiche,
		null,
		progressInput({ submissionKey: key }),
		null,
		new Date(clock)
	);
	if (!result.ok) throw new Error(result.message);
	return result.value.id;
}

describe('notifications of progress updates', () => {
	it('sends admins one digest an hour at most, each submission once', async () => {
		await submit('9-1', 'a');
		await submit('5-1', 'b');
		expect(await sendSubmissionDigest(db, clock)).toBe(2);
		let mails = await deliver();
		expect(mails.map((m) => m.envelopeTo)).toEqual([['admin@lot.fr']]);
		expect(mails[0]!.mail.subject).toBe('2\u00a0mises à jour à valider');
		expect(mails[0]!.mail.text).toMatch(/Fiche 9-1 «\u00a0[^»]+\u00a0» — CDG46/);
		expect(mails[0]!.mail.text).toContain('https://sdusn.test/admin/suivis/');
		expect(mails[0]!.mail.headerLines.map((h) => h.key)).toContain('list-unsubscribe');
		// Its footer names what an administrator receives, in /compte's words.
		expect(mails[0]!.mail.text).toContain(
			'Pour ne plus recevoir ce récapitulatif des mises à jour soumises à relire'
		);
		expect(mails[0]!.mail.text).not.toContain('validations et renvois');
		clock += 60_000;
		await submit('1-1', 'c');
		// Within the hour: nothing, even with a new submission.
		expect(await sendSubmissionDigest(db, clock)).toBe(0);
		clock += DIGEST_EVERY_MS;
		expect(await sendSubmissionDigest(db, clock)).toBe(1);
		mails = await deliver();
		expect(mails[0]!.mail.subject).toBe('1\u00a0mise à jour à valider');
		clock += DIGEST_EVERY_MS;
		expect(await sendSubmissionDigest(db, clock)).toBe(0);
	});

	it('tells the organisation of a validation, and of a return with the comment', async () => {
		const first = await submit('9-1', 'a');
		await reviewProgressUpdate(
			db,
			admin,
			{
				updateId: first,
				version: 1,
				decision: 'return',
				comment: 'Précisez le nombre de communes <svp>.'
			},
			null,
			new Date(clock)
		);
		let mails = await deliver();
		expect(mails.map((m) => m.envelopeTo[0]).sort()).toEqual(['chloe@cdg46.fr', 'paul@cdg46.fr']);
		const { mail } = mails[0]!;
		expect(mail.subject).toBe('Mise à jour renvoyée\u00a0: fiche 9-1');
		expect(mail.text).toContain('Commentaire\u00a0: Précisez le nombre de communes <svp>.');
		expect(mail.html).toContain('Précisez le nombre de communes &lt;svp&gt;.');
		expect(mail.text).toContain(`https://sdusn.test/espace/suivis/${first}`);
		// Sent to the organisation that submitted it, porteur or partner.
		expect(mail.text).toContain('parce que votre organisation a soumis cette mise à jour');
		// The recipient's unsubscribe link is in the mail, never on the admins' page of messages.
		expect(mail.text).toMatch(/Se désabonner\u00a0: https:\/\/sdusn\.test\/desabonnement\//);
		// The link opens a page that asks to confirm: the mail does not promise « un clic ».
		expect(mail.text).toMatch(
			/suivez le lien «\sSe désabonner\s» puis confirmez sur la page qu’il ouvre/
		);
		expect(mail.text).not.toContain('en un clic');
		const listed = await outboxPage(db, 1);
		expect(JSON.stringify(listed)).not.toContain('/desabonnement/');
		expect(listed.messages[0]!.text).toContain(
			'Se désabonner\u00a0: (lien de désabonnement : réservé au destinataire, jamais montré ici)'
		);
		// Chloé turns validations off.
		await savePreferences(
			db,
			colleague.id,
			{ reminders: true, validations: false, commission: true },
			clock
		);
		const second = await submit('5-1', 'b');
		await reviewProgressUpdate(
			db,
			admin,
			{ updateId: second, version: 1, decision: 'validate', comment: '' },
			null,
			new Date(clock)
		);
		mails = await deliver();
		expect(mails.map((m) => m.envelopeTo)).toEqual([['paul@cdg46.fr']]);
		expect(mails[0]!.mail.subject).toBe('Mise à jour validée\u00a0: fiche 5-1');
	});

	// Partner walk: returned to an organisation taken off the fiche, the mail invited it to
	// « Reprendre la mise à jour », which its page can no longer do.
	it('does not invite an organisation taken off the fiche to resume the update returned to it', async () => {
		const id = await submit('9-1', 'a');
		await takeOffFiche(db, partner.organisationId!, '9-1');
		const decision = {
			updateId: id,
			version: 1,
			decision: 'return',
			comment: 'Précisez.'
		} as const;
		await reviewProgressUpdate(db, admin, decision, null, new Date(clock));
		const { mail } = (await deliver())[0]!;
		expect(mail.text).not.toContain('Reprendre la mise à jour');
		expect(mail.text).toContain(
			'Votre organisation ne porte plus cette fiche et n’en est plus partenaire\u00a0: cette mise à jour reste lisible dans votre espace, mais ne peut plus être reprise.'
		);
		expect(mail.text).toContain(`https://sdusn.test/espace/suivis/${id}`);
	});

	// Reviewer's finding: SDAIL's value for a day replaced CDG46's and CDG46 got no word of it.
	it('tells another organisation whose published value a validation replaced, by whose', async () => {
		const sam = await createTestUser(db, PEOPLE.sam);
		const indicator = (await findFicheForReporting(db, '9-1'))!.indicators[0]!;
		const june = (value: number) => ({
			indicatorId: indicator.id,
			measuredOn: '2026-06-01',
			value,
			comment: null
		});
		const validate = (updateId: number) =>
			reviewProgressUpdate(
				db,
				admin,
				{ updateId, version: 1, decision: 'validate', comment: '' },
				null,
				new Date(clock)
			);
		await validate(await submittedWith(db, partner, june(11)));
		// Corrected by CDG46 itself: the validation's notice alone.
		const own = await submittedWith(db, partner, june(12));
		await validate(own);
		let mails = await deliver();
		expect(mails.map((m) => m.mail.subject)).toEqual([
			'Mise à jour validée\u00a0: fiche 9-1',
			'Mise à jour validée\u00a0: fiche 9-1',
			'Mise à jour validée\u00a0: fiche 9-1',
			'Mise à jour validée\u00a0: fiche 9-1'
		]);
		// Chloé turned validations off: Paul alone is told.
		await savePreferences(
			db,
			colleague.id,
			{ reminders: true, validations: false, commission: true },
			clock
		);
		await validate(await submittedWith(db, sam, june(15)));
		mails = await deliver();
		expect(mails.map((m) => [m.envelopeTo[0], m.mail.subject])).toEqual([
			['sam@sdail.fr', 'Mise à jour validée\u00a0: fiche 9-1'],
			['paul@cdg46.fr', 'Valeur remplacée par SDAIL\u00a0: fiche 9-1']
		]);
		const { mail } = mails[1]!;
		expect(mail.text).toContain(
			'Une valeur publiée par votre organisation sur la fiche 9-1 «\u00a0'
		);
		expect(mail.text).toContain('a été remplacée par celle de SDAIL');
		expect(mail.text).toContain(
			`«\u00a0${indicator.label}\u00a0» au 1er\u00a0juin\u00a02026\u00a0: 12 → 15`
		);
		expect(mail.text).toContain(`https://sdusn.test/espace/suivis/${own}`);
		expect(mail.text).toContain('parce que votre organisation a publié cette valeur');
		expect(mail.headerLines.map((h) => h.key)).toContain('list-unsubscribe');
		expect(mail.text).toMatch(/Se désabonner\u00a0: https:\/\/sdusn\.test\/desabonnement\//);
	});
});
