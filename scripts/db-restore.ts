// npm run db:restore -- <sauvegarde> : restores a backup into DATABASE_PATH, the portal stopped.
import { resolve } from 'node:path';
import process from 'node:process';
import { databasePath } from '../src/lib/server/db/index';
import { restoreBackup } from '../src/lib/server/db/restore';
import { plural, pluralize } from '../src/lib/utils/format';
import { oneFileArgument, runCommand, userPath } from './cli';

const USAGE = `Usage : npm run db:restore -- sauvegarde.db
Vérifie une sauvegarde et la remet à la place de la base (DATABASE_PATH), le portail arrêté ; l’ancienne base est gardée à côté.`;

runCommand(async () => {
	const backup = oneFileArgument(
		process.argv.slice(2),
		USAGE,
		'Indiquez un seul fichier de sauvegarde : npm run db:restore -- sauvegarde.db'
	);
	// Read from the project's folder, as the server and the other commands read it (named absolute).
	const target = resolve(databasePath());
	// Named absolute, as db:backup names what it wrote: « copie.db » says nothing of which folder.
	const file = userPath(backup);
	const {
		replaced,
		aside,
		alreadySent,
		interrupted,
		invitationsClosed,
		accountsDisabled,
		passwordsKept,
		preferencesKept,
		stoppedKept,
		accountsEnabled,
		accountsLeftDisabled,
		replacedOlder
	} = await restoreBackup(file, target);
	process.stdout.write(
		`Sauvegarde « ${file} » vérifiée et restaurée dans « ${replaced} »` +
			(replaced === target
				? '.'
				: ` (DATABASE_PATH « ${target} » est un lien symbolique vers ce fichier, qui a été remplacé ; le lien reste).`) +
			(aside ? ` L’ancienne base est gardée sous « ${aside} ».` : '') +
			(replacedOlder
				? ' La base remplacée est plus ancienne que la sauvegarde : rien n’en est repris (ni comptes, ni mots de passe, ni préférences, ni courriels), la sauvegarde vaut telle quelle.'
				: '') +
			(alreadySent > 0
				? ` ${alreadySent} ${plural(alreadySent, 'courriel', 'courriels')} en attente dans la sauvegarde, ${plural(alreadySent, 'parti', 'partis')} depuis, ${plural(alreadySent, 'est marqué envoyé', 'sont marqués envoyés')} : ${plural(alreadySent, 'il ne partira', 'ils ne partiront')} pas une seconde fois.`
				: '') +
			(interrupted > 0
				? ` ${interrupted} ${plural(interrupted, 'courriel', 'courriels')} en attente dans la sauvegarde, dont l’envoi a été interrompu depuis (peut-être remis), ${plural(interrupted, 'est marqué interrompu', 'sont marqués interrompus')} : ${plural(interrupted, 'il ne partira', 'ils ne partiront')} pas une seconde fois (voir /admin/courriels).`
				: '') +
			(stoppedKept > 0
				? ` ${stoppedKept} ${plural(stoppedKept, 'courriel', 'courriels')} en attente dans la sauvegarde, ${plural(stoppedKept, 'abandonné, refusé ou annulé', 'abandonnés, refusés ou annulés')} depuis, le ${plural(stoppedKept, 'reste', 'restent')} : ${plural(stoppedKept, 'il ne partira', 'ils ne partiront')} pas (voir /admin/courriels).`
				: '') +
			(preferencesKept > 0
				? ` ${pluralize(preferencesKept, 'compte garde', 'comptes gardent')} les préférences de courriel de l’ancienne base (désabonnements depuis la sauvegarde compris).`
				: '') +
			' Les sessions ouvertes sont fermées (chacun se reconnecte) et les liens de nouveau mot de passe non utilisés annulés (à redemander).' +
			(invitationsClosed > 0
				? ` ${invitationsClosed} ${plural(invitationsClosed, 'invitation utilisée ou révoquée depuis la sauvegarde le reste', 'invitations utilisées ou révoquées depuis la sauvegarde le restent')} : invitez de nouveau, depuis /admin/utilisateurs, qui doit encore activer son compte.`
				: '') +
			(accountsDisabled > 0
				? ` ${pluralize(accountsDisabled, 'compte désactivé depuis la sauvegarde le reste', 'comptes désactivés depuis la sauvegarde le restent')}.`
				: '') +
			(accountsEnabled > 0
				? ` ${pluralize(accountsEnabled, 'compte réactivé depuis la sauvegarde le reste', 'comptes réactivés depuis la sauvegarde le restent')}.`
				: '') +
			(accountsLeftDisabled > 0
				? ` ${pluralize(accountsLeftDisabled, 'compte réactivé depuis la sauvegarde avec un autre rôle ou une autre organisation reste désactivé', 'comptes réactivés depuis la sauvegarde avec un autre rôle ou une autre organisation restent désactivés')} : vérifiez ${plural(accountsLeftDisabled, 'son rôle et réactivez-le', 'leur rôle et réactivez-les')} à /admin/utilisateurs.`
				: '') +
			(passwordsKept > 0
				? ` ${pluralize(passwordsKept, 'mot de passe changé depuis la sauvegarde reste le nouveau', 'mots de passe changés depuis la sauvegarde restent les nouveaux')}.`
				: '') +
			// A database replaced is the one a portal was stopped to restore (no portal runs on it: the
			// restore is refused then); a new file, a copy to look into, is no portal's.
			(aside
				? ' Redémarrez le portail.\n'
				: ' Ce fichier n’existait pas : aucun portail ne tourne sur cette base, rien à redémarrer.\n')
	);
});
