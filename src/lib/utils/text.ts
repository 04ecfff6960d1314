import { frenchSpacing } from './french-spacing';

/** Lower-case, accents removed, typographic apostrophes unified: the form used for searching. */
export function foldForSearch(text: string): string {
	return text
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.replace(/[’‘`]/g, "'")
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * The form in which fiches are searched and names compared: folded as above, then every run of
 * punctuation (hyphens, apostrophes, slashes…) read as one space, so that « tiers lieux »,
 * « tiers-lieux » and « Tiers‑Lieux » are the same words, and « l’open data » holds « open data ».
 * Before that, letters written another way read as themselves (NFKC: full-width « ＳＧＡＲ » is
 * « SGAR »), and the characters that show nothing are dropped (Unicode's default ignorable ones,
 * among them the Hangul fillers, which are letters: « SGAR\u3164 » is « SGAR »), as a text that
 * holds nothing else is read empty (`showsNothing`).
 */
export function foldForMatching(text: string): string {
	return foldForSearch(text.normalize('NFKC').replace(/\p{Default_Ignorable_Code_Point}/gu, ''))
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/**
 * The key by which two organisations' names are the same name, in the admin form as in the plan's
 * workbook: folded for matching, spaces dropped (« CDG 46 » is « CDG46 », « ＡＤＣＦ » is « ADCF »).
 */
export function organisationNameKey(name: string): string {
	return foldForMatching(name).replace(/\s+/g, '');
}

/**
 * The Cyrillic and Greek letters drawn as a Latin one, capitals and small letters, read as it by
 * `organisationSkeleton`. A small table rather than Unicode's confusables list (thousands of
 * entries, every script, a dependency): only these two scripts pass `mixedScripts`, in a name
 * written wholly in one of them (« ЕРМ », « ΕΡΜ », an EPM to the eye).
 */
const LOOKALIKE_LETTERS = 'АВЕКМНОРСТУХЅІЈԚԜҮӀаеорсухѕіјԛԝһԁӏүΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹͿαικνορυχϲϳ';
/** The Latin letter each of LOOKALIKE_LETTERS is drawn as, in the same order. */
const AS_LATIN = 'ABEKMHOPCTYXSIJQWYIaeopcyxsijqwhdlyABEZHIKMNOPTYXCJaikvopuxcj';

/**
 * A name as it looks: its Cyrillic and Greek letters drawn as Latin ones read as those, then
 * keyed as names are compared (`organisationNameKey`). Two names of the same skeleton and
 * different keys look the same and are not (« ЕРМ » in Cyrillic letters, and « EPM »).
 */
export function organisationSkeleton(name: string): string {
	return organisationNameKey(
		name
			.normalize('NFKD')
			.replace(
				/[\p{Script=Cyrillic}\p{Script=Greek}]/gu,
				(letter) => AS_LATIN[LOOKALIKE_LETTERS.indexOf(letter)] ?? letter
			)
	);
}

/**
 * Why a name that mixes Latin letters with Cyrillic or Greek ones is refused (« SGАR » with a
 * Cyrillic « А »: it looks like « SGAR », but `organisationNameKey` does not make it the same
 * name, and nobody could find it by typing it), to be written after « Le nom » (the admin form) or
 * « le nom « … » » (the plan's workbook); null for a name written in one script (digits,
 * punctuation and symbols aside).
 */
export function mixedScripts(name: string): string | null {
	const text = name.normalize('NFKC');
	if (!/\p{Script=Latin}/u.test(text)) return null;
	const foreign = [...new Set(text.match(/[\p{Script=Cyrillic}\p{Script=Greek}]/gu) ?? [])];
	if (foreign.length === 0) return null;
	const letters = foreign.map((letter) => `« ${letter} »`).join(', ');
	return `mêle des lettres latines à des lettres cyrilliques ou grecques (${letters}), qui leur ressemblent sans être les mêmes : retapez ces lettres au clavier`;
}

/**
 * Why a person's name is refused when one of its words mixes two scripts among Latin, Cyrillic and
 * Greek (`mixedScripts`, word by word: « Аlice » with a Cyrillic « А » looks like « Alice »;
 * `cyrillicWithGreek`: « Алиσа » with a Greek « σ »), the
 * message of its field; null when each word is in one script. Words are apart by spaces only:
 * a hyphen, an apostrophe, a combining mark belong to the word's script, whichever it is. A person
 * may write a given name in Cyrillic and a family name in Latin letters (« Алиса Smith »): the
 * look-alike is within a word. An organisation's name is refused whole (`mixedScripts`): it is
 * searched and named in the plan's workbook by its letters.
 */
export function mixedScriptWord(name: string): string | null {
	const words = name.trim().split(/\s+/u);
	for (const word of words) {
		const mixed = mixedScripts(word) ?? cyrillicWithGreek(word);
		if (mixed) return `Chaque mot du nom s’écrit dans un seul alphabet ; « ${word} » ${mixed}.`;
	}
	// Beside Latin words, a word all of whose letters are Cyrillic or Greek look-alikes of Latin
	// ones (« Alice Сохе » reads « Alice Coxe ») is the same deceit as a mixed word.
	if (words.some((word) => /\p{Script=Latin}/u.test(word.normalize('NFKC')))) {
		const disguised = words.find(allLookalikes);
		if (disguised)
			return `« ${disguised} » est écrit en lettres cyrilliques ou grecques qui ressemblent toutes à des lettres latines, à côté de mots en lettres latines : retapez-le au clavier.`;
	}
	return null;
}

/**
 * Why a word without Latin letters is refused when it mixes Cyrillic and Greek ones (« Алиσа »
 * with a Greek « σ »), to be written after « « … » » as `mixedScripts` is; null otherwise.
 */
function cyrillicWithGreek(word: string): string | null {
	const text = word.normalize('NFKC');
	if (!/\p{Script=Cyrillic}/u.test(text)) return null;
	const greek = [...new Set(text.match(/\p{Script=Greek}/gu) ?? [])];
	if (greek.length === 0) return null;
	const letters = greek.map((letter) => `« ${letter} »`).join(', ');
	return `mêle des lettres cyrilliques à des lettres grecques (${letters}) : retapez ces lettres au clavier`;
}

/** Whether every letter of `word` is a Cyrillic or Greek look-alike of a Latin one (LOOKALIKE_LETTERS). */
function allLookalikes(word: string): boolean {
	const letters = word.normalize('NFKC').match(/\p{L}/gu) ?? [];
	return letters.length > 0 && letters.every((letter) => LOOKALIKE_LETTERS.includes(letter));
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** French alphabetical order ("École" sorts with "E"). */
export function compareFrench(a: string, b: string): number {
	return collator.compare(a, b);
}

/**
 * Rows in French order of their names, as a list shows them (SQLite's ORDER BY compares bytes:
 * « Ad’Occ » after « ARS », « État » after « Union… »). Sorts in place.
 */
export function sortByName<T extends { name: string }>(rows: T[]): T[] {
	return rows.sort((a, b) => compareFrench(a.name, b.name));
}

/** Orders fiche codes "N-M" by objective then fiche number ("9-1" < "10-1" < "10-2"). */
export function compareFicheCodes(a: string, b: string): number {
	const [an = 0, am = 0] = a.split('-').map(Number);
	const [bn = 0, bm = 0] = b.split('-').map(Number);
	return an - bn || am - bm;
}

export const FICHE_CODE_PATTERN = /^([1-9]\d?)-([1-9])$/;
/**
 * A row's number (its id, or its version) as an address or a form gives it: digits only, at most
 * nine (`[id=id]` in a route's folder name checks its parameter so).
 */
export const ID_PATTERN = /^\d{1,9}$/;

/** A list's page number as an address gives it (`?page=`): 1 to 99 999, the first page otherwise. */
export function readPageNumber(raw: string | null): number {
	return raw !== null && /^\d{1,5}$/.test(raw) && Number(raw) >= 1 ? Number(raw) : 1;
}

/**
 * A moment in milliseconds that a page put in its form (what it showed, to tell a change made
 * since): digits only, at most fifteen; null when left out or unreadable.
 */
export function readTimestamp(raw: unknown): number | null {
	return typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
}
/**
 * Folded as foldForMatching() does, but a hyphen or an apostrophe inside a word kept, as « - » or
 * « ' »: « Wi‑Fi » → « wi-fi », « Ad’Occ » → « ad'occ ». The words are separated by single spaces.
 */
function foldKeepingHyphens(text: string): string {
	return foldForSearch(text)
		.replace(/[^\p{L}\p{N}]+/gu, (run: string, at: number, whole: string) => {
			const inside = at > 0 && at + run.length < whole.length;
			if (inside && /^[-\u2010\u2011]$/.test(run)) return '-';
			return inside && run === "'" ? "'" : ' ';
		})
		.trim();
}

/**
 * French elision at the start of a word (« l’ », « d’ », « qu’ », « jusqu’ »…): the article or
 * conjunction before its apostrophe, which is a word of its own, not the start of one joined.
 */
const ELISION = /^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu|presqu)'/;

/**
 * A search as /fiches reads it: its words, folded, separated by single spaces; a word of letters
 * joined by a hyphen or an apostrophe kept whole, as a hyphenated word (« wi-fi », « ad-occ » for
 * « Ad’Occ »), for searchForms(); an elided article or conjunction left out (« l’ENT » is « ent »,
 * « d’usages » is « usages »), as it is a word apart in the fiche's text.
 */
export function foldSearchQuery(text: string): string {
	return foldKeepingHyphens(text)
		.split(' ')
		.map((word) => word.replace(ELISION, '').replaceAll("'", '-'))
		.filter(Boolean)
		.join(' ');
}

/**
 * A fiche's text as it is searched (its `search_text`): a space before every word, so that a
 * search word is found at the start of a word (searchForms); a word joined by hyphens or
 * apostrophes as its parts, and joined (« Wi-Fi » holds « wi fi » and « wifi », found by « wifi »
 * as by « wi-fi »; « Ad’Occ » holds « ad occ » and « adocc »), an elision before an apostrophe
 * (« l’ », « d’ ») a word apart, never joined (« l’ENT » is « l ent », not « lent »).
 */
export function foldSearchedText(text: string): string {
	const words = foldKeepingHyphens(text).split(' ');
	const joined = words
		.map((w) => w.replace(ELISION, ''))
		.filter((w) => /['-]/.test(w))
		.map((w) => w.replace(/['-]/g, ''));
	return ` ${[...words.map((w) => w.replace(/['-]/g, ' ')), ...joined].join(' ')}`;
}

/**
 * What a search word is looked for as in a fiche's search text (foldSearchedText), any of them:
 * the start of a word (« ent » finds « ENT » and « entreprises », not « gouvernement »); for a
 * hyphenated word, its parts in a row or joined (« wi-fi » finds « Wi-Fi » and « WIFI », not
 * « wiki » and « fiche » apart).
 */
function searchForms(word: string): string[] {
	return word.includes('-')
		? [` ${word.replaceAll('-', ' ')}`, ` ${word.replaceAll('-', '')}`]
		: [` ${word}`];
}

/** Past this many words, a search is not also tried with two words in a row joined. */
const MAX_JOINED_SEARCH_WORDS = 6;

/**
 * The ways a fiche matches a search (foldSearchQuery's words), any of them: each a list of words
 * that must all be in the fiche, each word as any of its forms (searchForms). The words as typed;
 * then, for a search of a few words, the same with two words in a row joined, as the parts of a
 * hyphenated word are (« cdg 46 » finds « CDG46 », « ad occ » « Ad’Occ »), found besides.
 */
export function searchAlternatives(query: string): string[][][] {
	const words = query.split(' ').filter(Boolean);
	const joined =
		words.length > MAX_JOINED_SEARCH_WORDS
			? []
			: words
					.slice(1)
					.map((word, i) => [...words.slice(0, i), words[i] + word, ...words.slice(i + 2)]);
	return [words, ...joined].map((alternative) => alternative.map(searchForms));
}

/**
 * Whether `text` holds a search (foldSearchQuery's words) as a fiche's search text does for
 * /fiches (foldSearchedText, searchAlternatives, the query's `instr`): the labels of the plan's
 * axes, orientations and objectives, which the search does not read, named when it finds no fiche.
 */
export function holdsSearch(text: string, query: string): boolean {
	const searched = foldSearchedText(text);
	return searchAlternatives(query).some((words) =>
		words.every((forms) => forms.some((form) => searched.includes(form)))
	);
}

/** A fiche's number in its objective is one digit (the open data's pattern): nine at most. */
export const MAX_FICHE_NUMBER = 9;

/** Two names or titles that differ only by case, accents, spaces or punctuation. */
export function sameWords(a: string, b: string): boolean {
	return foldForMatching(a) === foldForMatching(b);
}

/** An axis as headings name it, French-spaced: « Axe 1 « performance » : Transformation… » (its number when given). */
export function axisTitle(axis: { shortName: string; label: string; position?: number }): string {
	const number = axis.position === undefined ? '' : `${axis.position} `;
	return frenchSpacing(`Axe ${number}« ${axis.shortName} » : ${axis.label}`);
}

/**
 * An account as the journal names it, its name and its address (« Marie Martin
 * (marie.martin@lot.fr) »): two people of the same name, or a name written with letters of
 * another script that look like Latin ones, are told apart by the address.
 */
export function accountLabel(account: { name: string; email: string }): string {
	return `${account.name} (${account.email})`;
}

/**
 * « de » before a name, an address or an organisation, elided before a vowel or an « h »:
 * « d’émilie@exemple.fr », « d’Anne Admin », « d’Hélène », « un compte d’AMF46 », « de Paul ». First names beginning with « h » take it mute
 * (« d’Henri », « d’Hugo »); the few whose « h » is aspirated read well enough elided in a notice.
 */
export function ofName(name: string): string {
	return elides(name) ? `d’${name}` : `de ${name}`;
}

/**
 * Whether « de » (or « le », « que »…) elides before `word`: it begins with a vowel or an « h »
 * (ofName's rule; « d’administrer », « de rendre compte »).
 */
export function elides(word: string): boolean {
	return /^[aàâäeéèêëhiîïoôöuùûüyæœ]/i.test(word);
}

/**
 * The beginning of a text a message quotes (a refused value, a cell of a workbook): `max` UTF-16
 * units at most, then « … », never cut between the two halves of a character (an emoji). A message
 * names what it refuses; it does not copy it whole (a workbook's cell of millions of characters,
 * quoted by hundreds of problems, made an answer of hundreds of megabytes).
 */
export function excerpt(text: string, max = 40): string {
	if (text.length <= max) return text;
	const code = text.charCodeAt(max - 1);
	const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
	return `${text.slice(0, end)}…`;
}

/**
 * The beginning of a text quoted for reading (a decision in the relevé's mail): `max` UTF-16 units
 * at most, cut between two words, without the punctuation before the cut, then « … »; a first word
 * longer than that is cut as `excerpt` cuts it.
 */
export function excerptAtWord(text: string, max: number): string {
	if (text.length <= max) return text;
	// The character after the cut is looked at too: a space there ends a whole word.
	const space = text.slice(0, max + 1).search(/\s\S*$/);
	if (space <= 0) return excerpt(text, max);
	let end = space;
	while (end > 0 && CUT_PUNCTUATION.has(text.charAt(end - 1))) end--;
	// Nothing but punctuation before the last space (« — » and a long address): cut in the word.
	if (end === 0) return excerpt(text, max);
	return `${text.slice(0, end)}…`;
}

/** What excerptAtWord leaves out before its « … »: spaces and punctuation. */
const CUT_PUNCTUATION = new Set([
	' ',
	'\u00a0',
	'\u202f',
	',',
	';',
	':',
	'.',
	'!',
	'?',
	'—',
	'–',
	'-'
]);
