export const USAGE = `Usage: linkdex <command> [options]

Commands:
  search <query>     Search the catalog; typos and half-words are fine
                       --category, -c NAME   only this category
                       --limit, -n N         at most N results (default 100)
                       --page, -p N          page N of the results (10 a page)
  category [name]    Every category with its count, or one category's links
                       --page, -p N
  random             A random link
                       --category, -c NAME   from this category only
                       --today               the link of the day (UTC)
                       --date YYYY-MM-DD     the link of that day
  export             Every entry
  check              Report problems in the content as file:line; exits 1 on any error
                       --links               also fetch every URL: dead links are errors;
                                             redirected, timed-out and failing links warnings;
                                             slow links and 401/403/429 (bots refused) info
                       --timeout MS          per request, with --links (default 10000)
                       --concurrency N       requests at once, with --links (default 8; 2 per host)
                       --max-time SECONDS    the whole check, with --links (default 600)
                       --allow-private       also fetch loopback, private and link-local addresses
  state export       What the bot keeps (settings per server, days posted) as JSON, from
                     DATABASE_URL, else the SQLite file under STATE_DIR: for backups and moves
                       --out, -o FILE        write it to FILE instead of the output
  state import FILE  Add what an export holds; a server's settings there replace its own

Options:
  --content PATH     A markdown file or folder to read (default: CONTENT_DIR, else the shipped catalog)
  --drafts           Include pages whose front matter says draft: true
  --json             Machine-readable output: every result at once (no --page)
  --help, -h         Show this help
  --version, -v      Show the version

Exit codes: 0 done, 1 the content has errors (check), 2 bad usage, unknown category, no results,
a check that could not finish (no network, --max-time), or a state file or database that cannot be used.`;
