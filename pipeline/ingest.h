/*
 * ingest.h - stage 1: find input files, decode them, pull the text out of
 * their format, cut it into documents and find each document's metadata.
 *
 * The text. Every later stage reads one UTF-8 text per source file,
 * bg_source.bytes, and every offset handed on (document, title, sentence)
 * is a byte offset into that text:
 *   - UTF-8 .txt/.md (and any file named explicitly that is text): the text
 *     *is* the file's bytes, BOM included (documents start after it), so
 *     offsets are byte offsets into the file as it lies on disk;
 *   - text in another encoding (UTF-16 with BOM, GB18030/GBK/GB2312,
 *     Big5/Big5-HKSCS): the text is the file decoded to UTF-8 (BOM
 *     dropped, line ends kept), offsets are byte offsets into the decoded
 *     source file;
 *   - .html/.htm, .docx, .jsonl/.json, .csv: the text is what this stage
 *     extracts (see below); offsets are byte offsets into it.
 * In the last two cases bg_source.derived is 1 and the index stores the
 * text (source.text), so that any client can check an offset; when derived
 * is 0 the file itself is the reference. Bytes are never rewritten beyond
 * this: CRLF, pinyin debris and the like are left for the normaliser, which
 * keeps the offset map.
 *
 * Encodings. A file that starts with a BOM (UTF-8, UTF-16 LE/BE, UTF-32
 * LE/BE) is read as that. A file that is valid UTF-8 is UTF-8 (confidence
 * 100). An HTML file whose <meta> declares a multi-byte charset (GBK,
 * GB2312, Big5, ...) that decodes all its bytes is read in it (confidence
 * 100). Otherwise
 * the candidates GB18030 (which covers GBK and GB2312) and Big5-HKSCS, plus
 * whatever ICU's charset detector (ucsdet) proposes, are decoded with ICU's
 * converters, and the one with the fewest undecodable bytes, then the
 * highest share of common CJK characters (the 6763 characters of GB2312 and
 * the 5401 of Big5 level 1) wins; its confidence is that share in percent.
 * (ucsdet alone calls short GBK text Big5 or Shift_JIS; this choice was
 * measured on every file of the SIGHAN 2005 test sets and the GBK 述职报告.)
 * Text in a European single-byte encoding is taken as such when ucsdet
 * rates a single-byte charset (ISO-8859-*, windows-125*, KOI8-R) at 50 or
 * more and above every CJK one, and most of its bytes >= 0x80 stand alone
 * between ASCII bytes (accented letters; GBK's come in pairs): its
 * confidence is ucsdet's, and a warning names the guess. Cyrillic, Greek
 * and other alphabets (KOI8-R, windows-1251, ISO-8859-7), whose letters
 * are runs of such bytes, are taken so when ucsdet rates the charset at
 * 30 or more and above every CJK one and no Chinese reading is clean
 * (undecodable bytes, or a confidence under 80), with the same warning.
 * --encoding NAME (any ICU converter name) overrides detection. Bytes that
 * do not decode are an error naming the file and byte offset, unless
 * on_invalid is replace: then they become U+FFFD and a warning is kept.
 * NUL bytes outside UTF-16, or a known binary signature (PNG, JPEG, GIF,
 * PDF, ZIP, OLE2 .doc, ELF, gzip, xz), make the file refused as binary.
 *
 * Formats and their text:
 *   - .html/.htm: the visible text of <body> through libxml2's HTML parser:
 *     entities decoded, script/style/noscript/template dropped, each block
 *     element (p, div, h1-h6, li, td, th, tr, br, ...) ending a line; runs of
 *     blank lines squeezed; elements nested however deep (XML_PARSE_HUGE,
 *     walked without recursion). One document; title from <meta
 * name=ArticleTitle> or <title>, date from <meta name=PubDate>, organisation
 * from <meta name=ContentSource>.
 *   - .docx (libzip + libxml2): word/document.xml, one line per paragraph
 *     (w:t text, w:tab as TAB, w:br as a line end), in order; paragraphs
 *     whose style is a Word heading (Heading1..9, 标题 1..9, or an
 *     outline level) are listed in bg_docspan.headings with their level.
 *     Title (dc:title) from docProps/core.xml, and its creation date when
 *     neither text nor file name gives one (dc:creator is the account that
 *     saved the file, not the author). Parts are read by libxml2's
 *     streaming reader with its default limits; a part inflating past
 *     256 MB, nesting elements deeper than 256 or declaring a DTD is
 *     refused (BG_EDATA naming the file and the limit).
 *   - .jsonl (one object a line; a line that is not one is skipped and
 *     its number kept in a warning, unless no line is: then BG_EDATA
 *     naming the first), .json (an array of objects, or one
 *     object; an array is read an element at a time: a malformed element
 *     is BG_EDATA naming its byte and its number in the array, bytes
 *     after the array's end are ignored with a warning), and tables:
 *     .csv (RFC 4180 through libcsv, BOM allowed;
 *     cells as written, an empty cell empty), .tsv/.tab (tab-separated,
 *     through libcsv with TAB as the delimiter, quoted cells allowed as
 *     Excel writes them; cells beyond the named columns join the last one
 *     with a TAB, so a text holding tabs is kept whole), .xlsx/.xlsm (every
 *     sheet of the workbook: libzip + libxml2 as for docx; shared, inline
 *     and formula strings (their _xHHHH_ escapes decoded), numbers as
 *     written, dates (a date number
 *     format, 1900 or 1904 system) as ISO 8601, booleans as 0/1, error
 *     cells empty; a sheet's name is the meta field "sheet" when there
 *     are several), and a text file (.txt or any name) given opts columns,
 *     or whose every non-blank line (two or more) holds a TAB after a
 *     non-empty first cell of at most 40 characters, read as a
 *     tab-separated table with one record a line (a warning says so). A
 *     table's first non-blank row is its header unless opts columns names
 *     the columns (then every row is a record) or the row looks like data:
 *     a cell longer than 100 bytes, or one that is a number or a date;
 *     columns without a name are "column N" (N from 1), and in a table
 *     without a header a column whose first 50 values are all years
 *     (1000-2999) is "year". Cells beyond the header's columns are kept as
 *     "column N" (CSV, xlsx). One document per record; the text is the
 *     records' text fields in file order, each followed by a blank line.
 *     JSON Lines, a JSON array, CSV and TSV are read a record at a time:
 *     the parsed records held are a window of 51 (the fields below are
 *     guessed over a group's first 50), never the file's; CSV and TSV
 *     are read twice, the first time only until the header (or the year
 *     column) is known. A CSV/TSV error names the line and the row.
 *     Fields: opts text_field, title_field, date_field, id_field,
 *     author_field, org_field, meta_fields (comma-separated, kept as a
 *     JSON object in bg_docspan.meta with the id and, for workbooks of
 *     several sheets, the sheet); when absent, the text field is, among the
 *     fields named text/content/body/fulltext (whole words, any case) or
 *     holding 正文/内容/全文/详情 (and no title word), the one with the
 *     most text over the first 50 records; when no field is so named, the
 *     field with the most text, and a warning says it was guessed (a
 *     text_field that none of the first 50 records holds is BG_EINVAL, in
 *     every sheet of a workbook; another named field none holds, a
 *     warning). A text_field "F,G,..." names several fields: the text is
 *     each one the record holds with text, in that order, the second and
 *     later after "\n\n", the field's name and "：\n" (a letter and its
 *     reply as one document); BG_EINVAL only when none of them is held,
 *     a warning for each one missing; the title a
 * field named title/标题/主题/name (any case, also inside a name such as
 * "Policy Title"), the date one named date/日期/时间/time (an ISO-looking one
 *     first), the year one named year/年份, the author one named
 *     author/作者/撰稿人, the organisation one named org/organization/
 *     organisation/unit/department/agency/issuer (whole words) or
 *     单位/部门/机构/发布机构/发文机关 (within the name). A record without
 *     a title field or title line is titled by the file's name and its id
 *     (`reports #25918`), else its number in the file (`reports #3`).
 *   - any other name inside a directory is skipped with a message; a file
 *     named explicitly is read as text if it is text, refused if binary.
 *
 * Documents. A text is cut at lines that begin with a `第N篇` heading (N in
 * Chinese or Arabic numerals); text before the first heading, if any is not
 * blank, is a document of its own. A text without such headings is one
 * document; an empty or blank text (a BOM alone), an HTML page or docx
 * without a word, has none, and a source without a document (a table
 * without a record too) carries the warning "no text (0 bytes|only white
 * space|no record holds any): no document".
 *
 * Metadata (bg_docspan): title, author, organisation, date (ISO 8601) and
 * year, from the record's fields, the HTML/docx properties, the text and
 * the file name, in that order of preference. Lines of a document's head
 * and tail are read by the structure of Chinese official and press writing
 * (ingest_meta.c lists the word classes), never by one file's wording:
 *   - metadata lines, which are no sentences (bg_docspan.skip): export
 *     debris (`【法宝引证码】…`, `原文链接：…`); a speaker line, titles of
 *     office then a name (`国务院总理 李克强`, `副总理兼财政部长李先念`: the
 *     author 李先念, the organisation 财政部, the first office naming one;
 *     the office alone with the name on the next line); a press byline
 *     (`中央纪委国家监委网站 王生霞 通讯员 杨生军`); a name alone (a common
 *     surname and one or two characters, spaces allowed: `袁 睿`); an
 *     organisation and a name (`冶力關鎮人民政府武小莉`, `——懷安鄉政府徐亞娟`);
 *     a news dateline alone (`新华社北京3月16日电`); labelled fields
 *     (`来源：… 发布时间：2022-05-09 06:20`); a document number
 *     (`京经信发〔2022〕87号`, giving a year); a date alone (`2013.4.15`,
 *     `二〇一三年四月十五日`) or a dateline (`——1954年5月23日在…会议上`,
 *     `（2017年10月18日）`, `2025年1月14日在…上…。`);
 *   - the title line is the first non-blank line after export debris and
 *     up to four metadata lines that is none of: a salutation (`各位代表：`,
 *     `同志们！`), a lead-in ending with ：，；、 (addressees
 * `各县人民政府：`), a news dateline opening the text
 * (`新华社北京1月20日电　题：…`), or running text (more than 30 characters
 * ending with 。！？, closing quotes looked through); when the text opens with
 * one of these it has no title line and the file's name is the title;
 *   - after the title: the title written again, up to three more title
 *     lines, then a run of metadata lines; the next eight lines are looked
 *     at for a signing date alone (and the issuer's name alone on the line
 *     above it); the last three non-blank lines for a run of sign-off lines
 *     (a name, an organisation, a date; an issuer above a date);
 *   - the date: a dateline, signing date or field above; else the title's
 *     when the title opens with it (`2014年政府工作报告`); else the document
 *     number's year; else the file name's; never a date of running text.
 * A file name such as `2012政府工作报告_温家宝.txt` gives year 2012 and
 * author 温家宝 (the first '_' part after 报告 that is a name);
 * `2025年…` gives the year.
 *
 * Threading: no shared state, except a table of common characters built
 * once (thread-safe).
 */
#ifndef BG_INGEST_H
#define BG_INGEST_H

#include "repair.h"
#include "util.h"

/* How to read inputs; zero-initialised means: detect everything. */
typedef struct bg_ingest_opts {
    const char *encoding;   /* --encoding NAME (ICU converter), NULL: detect */
    int on_invalid_replace; /* --on-invalid replace: U+FFFD and a warning */
    const char *text_field, *title_field, *date_field, *id_field;
    const char *author_field, *org_field;
    const char *meta_fields; /* comma-separated field names, NULL: none */
    const char *columns;     /* comma-separated names of a table's columns: the
                                table has no header row; a text file is read
                                as a tab-separated table */
} bg_ingest_opts;

/* A byte range of the text. */
typedef struct bg_range {
    size_t start, end;
} bg_range;

/* One document inside a source: [start, end) and its title line
 * [title_start, title_end), byte offsets into the source's text. The title
 * line (see the banner: never a salutation, lead-in, dateline, speaker or
 * byline line, nor running text) is trimmed of white space;
 * title_start == title_end when there is none, and title is then the
 * file's name without its extension. Strings are
 * malloc'd UTF-8 owned by the source, NULL when unknown: title (when the
 * title comes from metadata rather than a line), author, org, date (ISO
 * 8601: YYYY-MM-DD, YYYY-MM or YYYY), meta (a JSON object of other
 * fields). year is 0 when unknown. skip lists metadata lines (sign-off,
 * byline, export debris) that are not sentences; headings lists heading
 * paragraphs from a docx with their outline level (1-9). record is the
 * document's record number in a record or table file (1 for the first),
 * 0 in other formats. */
typedef struct bg_docspan {
    size_t start, end;
    size_t title_start, title_end;
    char *title, *author, *org, *date, *meta;
    int year;
    size_t record;
    int part, nparts; /* part k of nparts of a document cut at
                         BG_INGEST_PART_MAX; 0 and 0 when whole */
    bg_range *skip;
    size_t nskip;
    bg_range *headings;
    int *levels;
    size_t nheadings;
} bg_docspan;

/* The formats of sources, by file name (bg_src_format_of). */
typedef enum bg_src_format {
    BG_SRC_TEXT,
    BG_SRC_HTML,
    BG_SRC_DOCX,
    BG_SRC_JSONL,
    BG_SRC_JSON,
    BG_SRC_CSV,
    BG_SRC_TSV,
    BG_SRC_XLSX
} bg_src_format;

/* The format of the file at path by its extension (.html/.htm, .docx,
 * .jsonl/.ndjson, .json, .csv, .tsv/.tab, .xlsx/.xlsm, any case); text for
 * any other name. */
bg_src_format bg_src_format_of(const char *path);

/* Its name as the index stores it: "text", "html", "docx", "jsonl",
 * "json", "csv", "tsv" or "xlsx" (static). */
const char *bg_src_format_name(bg_src_format f);

/* A loaded source file. bytes[0, len) is its text (see the banner),
 * NUL-terminated; body is where text starts (3 after a UTF-8 BOM kept in
 * the text, else 0). encoding is the file's encoding as ICU names it ("UTF-8",
 * "UTF-16LE", "GB18030", "Big5-HKSCS", ...), confidence 0-100. file_size
 * and file_hash (bg_hash of the file's bytes) identify the file's
 * content. warnings: lines of what was replaced or doubtful, NULL if none;
 * ninvalid the count of bytes replaced by U+FFFD. fields: for record and
 * table formats, one line per group of records (the file's, or each
 * sheet's) naming the fields used and how the text field was chosen
 * (`text "content" (by name), title "title", date "date"`; "given" for
 * opts text_field, "the longest" when guessed by length), NULL for other
 * formats. */
typedef struct bg_source {
    char *path;
    char *bytes;
    size_t len;
    size_t body;
    int derived;
    bg_src_format format;
    char encoding[48];
    int confidence;
    size_t file_size;
    uint64_t file_hash;
    char *warnings;
    char *fields;
    size_t ninvalid;
    bg_repairs repairs; /* every document's, found once (bg_ingest_repairs) */
    bg_docspan *docs;
    size_t ndocs, capdocs;
} bg_source;

/* Reads the file at path (opts may be NULL), decodes it, extracts its text
 * by format, cuts it into documents and finds their metadata. On success
 * *out is a new source the caller frees with bg_ingest_free. Errors (*out
 * NULL, err's message starting with the path): BG_EIO (unreadable),
 * BG_EUTF8 (bytes that do not decode in the detected or given encoding: the
 * message gives the byte offset of the first), BG_ESKIP (binary data: not a
 * report), BG_EINVAL (an unknown --encoding, a record file without a text
 * field), BG_EDATA
 * (malformed HTML/docx/JSON/CSV, with the place; a file or document over
 * the limits below), BG_EICU, BG_ENOMEM. */
int bg_ingest_load_opts(const char *path, const bg_ingest_opts *opts,
                        bg_source **out, bg_err *err);

/* Limits. A file over BG_INGEST_FILE_MAX bytes is refused (BG_EDATA naming
 * the file and the limit; ICU converts at most 1 GiB); docx/xlsx parts:
 * DOCX_PART_MAX (256 MB) inflated, 256 levels of nesting, no DTD
 * (ingest_formats.c). A document longer than BG_INGEST_PART_MAX bytes is
 * cut into parts of at most that length, each a document: after the last
 * line end in the second half of the limit, else the last sentence end
 * (。！？ ! ?, a . before a space), else a character boundary. The stages
 * after ingest hold about 40 bytes of offset maps and records per byte of
 * the document they work on, so a part bounds a worker's working memory
 * (some 160 MB; the records of a file's documents stay until the file is
 * written, some 10 bytes per byte). Part 1
 * has the document's metadata (bg_ingest_meta), parts 2.. a copy of it;
 * every part's title is part 1's with "（k/n）" after it; a warning says
 * "document N is M MB: cut into n parts ...". */
#define BG_INGEST_FILE_MAX ((uint64_t)1 << 30)
#define BG_INGEST_PART_MAX ((size_t)4 << 20)

/* bg_ingest_load_opts on bytes[0, n) held in memory (copied; the caller
 * keeps them) as if they were the file called name: its extension decides
 * the format, and it is the path in messages and bg_source.path. Errors
 * as bg_ingest_load_opts but never BG_EIO. (The fuzz targets of
 * tests/fuzz read inputs this way.) */
int bg_ingest_load_buffer(const char *name, const void *bytes, size_t n,
                          const bg_ingest_opts *opts, bg_source **out,
                          bg_err *err);

/* Whether cp is a common CJK character: one of the 6763 of GB2312 or the
 * 5401 of Big5 level 1 (a table built once, thread-safe). */
int bg_ingest_common_char(uint32_t cp);

/* ---- text repairs --------------------------------------------------------
 * Damage that real reports carry, found in a document's text and undone by
 * the normaliser (normalise.h), which removes or replaces each repaired
 * range in the analysis and display forms while the offset map keeps
 * pointing at the original bytes. Detection is a pure function of the text,
 * so the ingest stage (which lists the repairs in bg_source.warnings) and
 * the normaliser (which applies them) always agree. Kinds and criteria:
 *
 *   - wrap: a hard-wrapped line is joined to the next. Only in a text
 *     whose lines are wrapped at a fixed width: at least 6 non-blank lines,
 *     at least half of them within W/10 + 2 columns under a width W (20 to
 *     300 columns, a CJK character counting 2), and at most 1 in 20 wider
 *     than W. A text with no such width is looked at in blocks of 48 lines,
 *     each starting 24 lines after the last (and one ending with the
 *     text), by the same test: a line is then judged by the widest width
 *     of the blocks holding it and the next line (PDF-extracted texts
 *     change width at an appendix or a table). A text of 2 to 5
 *     non-blank lines, too few for that test, is wrapped at the widest
 *     width W of its lines (at least 40 columns) when two lines reach it
 *     within W/10 + 2 columns; there a line is joined only if it holds a
 *     clause mark (，、；：,;:), which titles hardly ever do. A line is
 * joined when it is at least 3/4 W wide, does not end with sentence-final
 * punctuation (。！？!?；;：:… or . , also before a closing quote or bracket),
 * and the next line is not blank, not indented and not a heading or enumerated
 * item (一、 （一） (1) 1. 1、 ① 第N章/节/条/篇 一是 —— # - * > |). The
 * repaired range runs from the end of the line's text (trailing blanks
 * included) to the start of the next line's; it is removed when the character
 * on either side is CJK (U+2E80 and up), else replaced by one space. The seed's
 * long paragraph lines (50 to 1,800 columns) are no such text.
 *   - page-number: a page number that broke a sentence: a line of at least
 *     10 characters, not ending with sentence-final punctuation, followed
 *     by blanks and a 1-3 digit number (`…為民富民” 1`), or a line holding
 *     only such a number (`- 3 -`) after one; in both cases the next line
 *     continues the sentence (not blank, indented, or a heading). The
 *     number and the line end are removed.
 *   - repeat: at the start of a line (after indentation and an enumerator
 *     such as 一、), a phrase ending in 。！？!? (2 to 40 characters) written
 *     twice in a row: the second copy is removed.
 *   - entity: an HTML entity left in the text (`&nbsp;`, `&ldquo;`, the
 *     other common named entities, `&#12288;`, `&#x3000;`; the `;` is
 *     required): replaced by its character.
 *   - markup: an HTML tag left in the text (a page saved as .txt, a
 *     record field holding markup): `<`, an optional `/`, the name of an
 *     HTML element (p, br, div, span, font, td, ..., Word's o:p; any case),
 *     attributes on the same line, an optional `/`, `>`; `增速<5%` or
 *     `<<人民日报>>` are no tags. A block element's tag (p, br, div, li, tr,
 *     td, h1-h6, ...) is replaced by a line end, as a browser breaks the
 *     line there; an inline one (span, font, b, a, ...) is removed.
 *   - mojibake: GBK text that was decoded one byte out of step, marked by
 *     a literal `?` (the lost byte) after a CJK character, often followed
 *     by a pinyin reading: `們?cè)诨鶎庸ぷ…S`. The run after the `?` (and
 *     after the reading) ends at the ASCII byte that put the decoding back
 *     in step, or before anything that cannot be GBK. It is re-encoded to
 *     GBK with ICU and decoded again one byte later; when at least two and
 *     3/4 of the characters so decoded are common CJK characters or CJK
 *     punctuation, the run is replaced by them (the others as U+FFFD). The
 *     `?` itself, whose character is lost, becomes U+FFFD (also when the
 *     run is not repaired), so that no sentence ends there. Without a reading,
 * a `?` counts only when its run holds an uncommon character (kana, a symbol, a
 * rare Han character) among its first four and re-decodes. Every run found,
 * repaired or not, is described in notes. */
/* The types: repair.h. */

/* Finds the repairs of s[0, len) (valid UTF-8, a document's text; base
 * is added to every offset) and appends them to *out. Returns 0 or
 * BG_ENOMEM (then *out holds what was found so far). */
int bg_ingest_repairs(const char *s, size_t len, size_t base, bg_repairs *out);

/* bg_ingest_load_opts with default options (detect everything). */
int bg_ingest_load(const char *path, bg_source **out, bg_err *err);

/* Frees a source; NULL is harmless. */
void bg_ingest_free(bg_source *src);

/* Called by bg_ingest_walk for each file to ingest (problem NULL), or for a
 * path that could not be taken (problem says why: BG_ESKIP for what is
 * passed over on purpose, a symlink loop, a file type baogao does not read,
 * a directory's documentation; BG_EIO for what cannot be read). Returning
 * non-zero stops the walk and is returned by it. path is valid during the call.
 */
typedef int (*bg_walk_cb)(const char *path, const bg_err *problem,
                          void *payload);

/* Visits path: a file is passed to cb as is (whatever its name); a
 * directory is walked recursively in byte order of names, passing files
 * named *.txt, *.md, *.html, *.htm, *.docx, *.jsonl, *.ndjson, *.json,
 * *.csv, *.tsv, *.tab, *.xlsx or *.xlsm (except a directory's own
 * documentation: README in any case, MANIFEST, CHANGELOG, CHANGES, LICENSE,
 * COPYING, CONTRIBUTING, NOTICE, AUTHORS in upper case, bare or .md / .txt) and
 * reporting other entries' skips through cb. Symlinks are followed; a directory
 * met twice on one path (a loop) is reported, not entered. Returns 0 or the
 * callback's non-zero value; a missing path is reported through cb, not
 * returned. */
int bg_ingest_walk(const char *path, bg_walk_cb cb, void *payload);

#endif
