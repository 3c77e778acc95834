/* import.h -- 'parcelscreen watchlist import': official lists -> SPEC watchlist CSV.
 *
 * Formats:
 *   ofac-sdn  OFAC SDN legacy CSV (sdn.csv, optional alt.csv): one name rule per primary name
 *             and alias, ids OFAC-SDN-<ent_num>[-A<alt_num>|-R<n>].
 *   goods     the goods lists of data/watchlists/goods (a directory): keyword, regex and
 *             hscode rules, ids GOODS-<file>-<n>.
 *   un-xml, uk-hmt, us-csl, eu-fsf, opensanctions: sanctions lists -> name rules, ids
 *             <LIST>-<entity>[-A<n>] (screen/src/import_entity.c writes them all).
 * The output is written to OUTPUT.tmp and renamed into place, so a reader never sees half a
 * list. Counts go to stderr. The DESIGN comments of screen/src/import_ofac.c and
 * import_goods.c give every mapping choice (types, weights, ids, what is left out). */
#ifndef SCREEN_IMPORT_H
#define SCREEN_IMPORT_H

/* The command entry point: argv[0] = "import", options as in --help. Returns the exit code:
 * 0 ok, 1 runtime failure (unreadable input, output not writable, nothing imported), 2 usage
 * or configuration error. */
int screen_import_main(int argc, char **argv);

#endif
