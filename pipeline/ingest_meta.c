/*
 * ingest_meta.c - document metadata: the classes of a document's head and
 * tail lines (names, titles of office, speaker lines, bylines, datelines,
 * salutations, labelled fields, document numbers, sign-offs), the title
 * line, dates, file-name year and author; content hashes and MinHash
 * signatures. The criteria are in ingest.h's banner.
 *
 * Threading: no shared state.
 * Offsets: byte offsets into the source's text (bg_source.bytes).
 */
#include "ingest_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* ---- code points of a line, pinyin debris and blanks taken out ---------- */

#define LINE_MAX_CP 256

typedef struct cline {
    uint32_t cp[LINE_MAX_CP];
    size_t n;
    int too_long;
} cline;

static int is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 ||
           c == 0xA0 || c == 0xFEFF || (c >= 0x200B && c <= 0x200D) ||
           c == 0x2060;
}

/* A pinyin letter: a-z, ü and the tone-marked vowels (U+00E0..U+01DC). */
static int is_pinyin_cp(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0x1DC);
}

/* Reads s[a, b) (valid UTF-8) into l: blanks dropped when drop_spaces,
 * `(lián)`-style readings dropped always. */
static void read_line(const char *s, size_t a, size_t b, int drop_spaces,
                      cline *l)
{
    l->n = 0;
    l->too_long = 0;
    size_t i = a;
    while (i < b) {
        size_t next;
        uint32_t c = bg_utf8_next(s, i, &next);
        if (c == '(' || c == 0xFF08) {
            size_t j = next, k = 0;
            uint32_t d = 0;
            while (j < b && (d = bg_utf8_next(s, j, &j), is_pinyin_cp(d)))
                k++;
            if (k > 0 && k <= 7 && (d == ')' || d == 0xFF09)) {
                i = j;
                continue;
            }
        }
        i = next;
        if (drop_spaces && is_space_cp(c))
            continue;
        if (l->n == LINE_MAX_CP) {
            l->too_long = 1;
            return;
        }
        l->cp[l->n++] = c;
    }
}

static size_t put_cps(const uint32_t *cp, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 5 < cap; i++)
        o += bg_utf8_put(cp[i], out + o);
    out[o] = '\0';
    return o;
}

/* ---- dates ----------------------------------------------------------------
 */

static int digit_of(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 0xFF10 && c <= 0xFF19)
        return (int)(c - 0xFF10);
    return -1;
}

static int han_digit(uint32_t c)
{
    static const uint32_t d[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    /* 零, and ○ ◯ written for 〇 (二○一二年一月九日) */
    if (c == 0x96F6 || c == 0x25CB || c == 0x25EF)
        return 0;
    for (int k = 0; k < 10; k++)
        if (d[k] == c)
            return k;
    return -1;
}

/* A number 1-39 at cp[*i]: Arabic (1-2 digits) or Chinese (十, 十五, 二十,
 * 三十一). Returns it, or -1. */
static int small_number(const uint32_t *cp, size_t n, size_t *i)
{
    size_t j = *i;
    int v = -1;
    if (j < n && digit_of(cp[j]) >= 0) {
        v = digit_of(cp[j++]);
        if (j < n && digit_of(cp[j]) >= 0)
            v = v * 10 + digit_of(cp[j++]);
        if (j < n && digit_of(cp[j]) >= 0)
            return -1;
    } else if (j < n && (han_digit(cp[j]) > 0 || cp[j] == 0x5341)) {
        int tens = 0, units = 0;
        if (cp[j] != 0x5341)
            units = han_digit(cp[j++]);
        if (j < n && cp[j] == 0x5341) { /* 十 */
            tens = units ? units : 1;
            units = 0;
            j++;
            if (j < n && han_digit(cp[j]) > 0)
                units = han_digit(cp[j++]);
        }
        v = tens * 10 + units;
    }
    if (v >= 0)
        *i = j;
    return v;
}

static int is_sep(uint32_t c)
{
    return c == '.' || c == '-' || c == '/' || c == 0xFF0E || c == 0xFF0D ||
           c == 0xFF0F;
}

/* A date starting at cp[i]; *end is set past it. */
static int date_at(const uint32_t *cp, size_t n, size_t i, size_t *end,
                   int *month, int *day)
{
    int year = 0, k;
    size_t j = i;
    int han = han_digit(cp[i]) >= 0;
    for (k = 0; k < 4 && j < n; k++, j++) {
        int d = han ? han_digit(cp[j]) : digit_of(cp[j]);
        if (d < 0)
            return 0;
        year = year * 10 + d;
    }
    if (k < 4 || year < 1900 || year > 2100)
        return 0;
    if (j < n && (han ? han_digit(cp[j]) >= 0 : digit_of(cp[j]) >= 0))
        return 0;
    *month = *day = 0;
    *end = j;
    int wide = j < n && cp[j] == 0x5E74; /* 年 */
    if (!wide && !(j < n && is_sep(cp[j])))
        return year;
    size_t m = j + 1;
    int mo = small_number(cp, n, &m);
    if (wide)
        *end = j + 1;
    if (mo < 1 || mo > 12)
        return year;
    if (wide ? !(m < n && cp[m] == 0x6708) : !(m < n && cp[m] == cp[j])) {
        if (wide)
            return year;
        /* 2013.4 without a day */
        *month = mo;
        *end = m;
        return year;
    }
    *month = mo;
    *end = m + 1;
    size_t dd = m + 1;
    int da = small_number(cp, n, &dd);
    if (da >= 1 && da <= 31) {
        *day = da;
        *end = dd;
        if (dd < n && (cp[dd] == 0x65E5 || cp[dd] == 0x53F7)) /* 日 号 */
            *end = dd + 1;
    }
    return year;
}

static int parse_cps(const uint32_t *cp, size_t n, int whole, char out[11])
{
    for (size_t i = 0; i < n; i++) {
        if (i && !whole && (digit_of(cp[i - 1]) >= 0))
            continue;
        size_t end;
        int mo, da;
        int y = date_at(cp, n, i, &end, &mo, &da);
        if (!y) {
            if (whole)
                return 0;
            continue;
        }
        if (whole) {
            while (end < n && (cp[end] == 0x3002 || cp[end] == '.'))
                end++;
            if (end != n)
                return 0;
            /* a year alone is no sign-off date */
            if (!mo)
                return 0;
        }
        if (da)
            snprintf(out, 11, "%04d-%02d-%02d", y, mo, da);
        else if (mo)
            snprintf(out, 11, "%04d-%02d", y, mo);
        else
            snprintf(out, 11, "%04d", y);
        return y;
    }
    return 0;
}

int bg_ingest_parse_date(const char *s, size_t n, int whole, char out[11])
{
    cline l;
    if (bg_utf8_valid_prefix(s, n) != n)
        return 0;
    read_line(s, 0, n, 0, &l);
    if (l.too_long && whole)
        return 0;
    return parse_cps(l.cp, l.n, whole, out);
}

/* ---- names, titles of office, addresses, datelines ----------------------
 * These classify a short line of a document's head or tail by the
 * structure of Chinese official and press writing, not by the wording of
 * any one file:
 *   - a person's name is a common surname (single or compound) and one or
 *     two given-name characters (`李鹏`, `温家宝`, `欧阳修`), or a
 *     transcribed name joined by a middle dot;
 *   - a title of office (职务) is [organisation][副/代/常务…]head, heads
 *     such as 总理, 主任, 书记, 委员, or a unit character + 长 (部长, 局长,
 *     省长), where a contraction shares the unit character with the
 *     organisation (财政部长 = 财政部 + 部长); offices held together are
 *     joined by 兼 (`国务院副总理兼国家经济委员会主任`);
 *   - a speaker line is offices and a name (`国务院总理 李克强`), or
 *     offices alone with the name on the next line;
 *   - a press byline is an outlet or a role (记者, 通讯员) and names,
 *     separated by blanks (`中央纪委国家监委网站 王生霞 通讯员 杨生军`);
 *   - a news dateline (电头) is [据][outlet][place][date]电, or
 *     [outlet ending in 报/社/网/站/台/刊]讯, with an optional
 *     (记者 …) after it (`新华社北京3月16日电`, `本报讯`);
 *   - a salutation (称呼) is an address ending in ：！， (`各位代表：`,
 *     `同志们！`, `尊敬的各位来宾：`): words of address (各位…, 尊敬的…,
 *     亲爱的…, …们) before the mark;
 *   - a dateline of a speech is a date after a dash or inside brackets, or
 *     a date followed by 在/于 (`——1954年5月23日在…会议上`,
 *     `（2017年10月18日）`). */

/* Single-character surnames, Simplified then the Traditional forms that
 * differ: the common surnames of the PRC's household register (the 400
 * most frequent cover over 99% of the population). */
static const char SURNAMES[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
    "田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付"
    "方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛"
    "靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋"
    "商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆"
    "朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦"
    "戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公"
    "哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
    "习"
    "劉陳楊黃趙吳孫馬羅鄭謝許韓馮鄧蕭葉蘇呂盧鍾譚陸賈韋鄒龍賀顧龔萬錢嚴"
    "湯溫齊喬龐顏莊聶魯歐關蘭紀畢駱藍鮑華饒陽時農繆簡車項連蘆麥婁竇黨費"
    "衛應閔鄔邊師欒榮鞏遲鄺談荊樂儲勞諶藺樓盤滿聞厲區闞權強帥蓋練豐國計"
    "晉門雲來闕烏諸戰銀賓陰堯閉習";

/* Compound surnames (复姓). */
static const char *const COMPOUND_SURNAMES[] = {
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方",
    "皇甫", "尉迟", "尉遲", "公孙", "公孫", "慕容", "令狐", "夏侯", "长孙",
    "長孫", "宇文", "司徒", "端木", "轩辕", "軒轅", "西门", "西門"};

/* The heads of titles of office other than unit + 长, longest first where
 * one ends another (国务委员 before 委员). */
static const char *const OFFICE_HEADS[] = {
    "国务委员", "國務委員", "主任委员", "主任委員", "委员长", "委員長",
    "秘书长",   "秘書長",   "检察长",   "檢察長",   "董事长", "董事長",
    "理事长",   "理事長",   "总经理",   "總經理",   "总编辑", "總編輯",
    "巡视员",   "巡視員",   "调研员",   "調研員",   "总理",   "總理",
    "主席",     "书记",     "書記",     "主任",     "委员",   "委員",
    "经理",     "經理",     "总裁",     "總裁",     "专员",   "專員",
    "主编",     "主編",     "议长",     "議長"};

/* Unit characters whose head is the character + 长 (部长, 局长, 省长). */
static const char UNIT_HEAD_CHARS[] =
    "部局厅廳处處科省市县縣区區州乡鄉镇鎮村院校所站队隊组組行社会會团團署司"
    "馆館庭室股厂廠场場园園台臺";

/* Words between an organisation and its head (副总理, 常务副市长, 代总理),
 * and before the organisation (原, 时任). */
static const char *const OFFICE_MODIFIERS[] = {
    "常务副", "常務副", "第一副", "副",   "代",
    "执行",   "執行",   "名誉",   "名譽", "代理"};
static const char *const OFFICE_LEADS[] = {"原", "前", "时任", "時任"};

/* Roles of a press byline; the outlet may lead them (本报记者). */
static const char *const BYLINE_ROLES[] = {
    "记者",     "記者",     "通讯员", "通訊員", "实习生", "實習生", "特约撰稿",
    "責任編輯", "责任编辑", "编辑",   "編輯",   "摄影",   "攝影",   "作者"};

/* Words ending the name of an outlet or an organisation in a byline. */
static const char *const OUTLET_ENDS[] = {
    "网站", "網站", "网",     "網",     "报",   "報",     "社",     "杂志",
    "雜誌", "刊",   "台",     "中心",   "政府", "委员会", "委員會", "局",
    "厅",   "廳",   "办公室", "辦公室", "部",   "院",     "委"};

/* Whether c is one of the characters of the UTF-8 string set. */
static int cp_in(uint32_t c, const char *set)
{
    for (size_t i = 0; set[i];) {
        size_t next;
        if (bg_utf8_next(set, i, &next) == c)
            return 1;
        i = next;
    }
    return 0;
}

/* The number of code points of w (UTF-8) when cp[i, ...) < n spells it,
 * else 0. */
static size_t word_at(const uint32_t *cp, size_t n, size_t i, const char *w)
{
    size_t k = 0;
    for (size_t j = 0; w[j];) {
        size_t next;
        uint32_t c = bg_utf8_next(w, j, &next);
        if (i + k >= n || cp[i + k] != c)
            return 0;
        k++;
        j = next;
    }
    return k;
}

/* The number of code points of w when cp[0, end) ends with it, else 0. */
static size_t word_before(const uint32_t *cp, size_t end, const char *w)
{
    size_t k = 0;
    for (size_t j = 0; w[j];) {
        size_t next;
        (void)bg_utf8_next(w, j, &next);
        k++;
        j = next;
    }
    return k <= end && word_at(cp, end, end - k, w) ? k : 0;
}

/* The longest word of list[0, n) ending cp[0, end), in code points. */
static size_t longest_before(const uint32_t *cp, size_t end,
                             const char *const *list, size_t n)
{
    size_t best = 0;
    for (size_t k = 0; k < n; k++) {
        size_t m = word_before(cp, end, list[k]);
        if (m > best)
            best = m;
    }
    return best;
}

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* 年 月 日 of a date form, 的 了 是 在 和 and the like: never in a name. */
static int not_in_name(uint32_t c)
{
    static const uint32_t v[] = {0x5E74, 0x6708, 0x65E5, 0x7684,
                                 0x4E86, 0x662F, 0x5728, 0x548C};
    for (size_t k = 0; k < NELEM(v); k++)
        if (v[k] == c)
            return 1;
    return 0;
}

/* Words that stand alone on a line of a document and would pass for a
 * name: the kinds of official documents (党政机关公文处理工作条例, art. 8)
 * and the parts of a document. */
static const char *const NOT_NAMES[] = {
    "文件", "公告", "公报", "通告", "通报", "通知", "决定", "决议",
    "命令", "意见", "请示", "批复", "议案", "纪要", "报告", "目录",
    "附件", "附录", "前言", "序言", "说明", "备注", "摘要", "引言",
    "结语", "后记", "简报", "总结", "公報", "通報", "決定", "決議",
    "報告", "目錄", "附錄", "說明", "備註", "簡報", "總結"};

/* Whether cp[0, n) (blanks removed) is a person's name (see above). */
static int person_name(const uint32_t *cp, size_t n)
{
    for (size_t k = 0; k < NELEM(NOT_NAMES); k++)
        if (word_at(cp, n, 0, NOT_NAMES[k]) == n)
            return 0;
    size_t dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (cp[i] == 0xB7 || cp[i] == 0x30FB || cp[i] == 0x2022) {
            if (i == 0 || i + 1 == n || cp[i - 1] == cp[i])
                return 0;
            dots++;
        } else if (!bg_han_basic(cp[i]) || (not_in_name(cp[i]) && i == 0) ||
                   cp[i] == 0x7684 || cp[i] == 0x4E86 || cp[i] == 0x662F ||
                   cp[i] == 0x5728) {
            return 0; /* 的 了 是 在: never in a name; 年 月 日 and 和 may be
                         given names (黄月, 李和) but open none */
        }
    }
    if (dots)
        return n >= 3 && n <= 16;
    size_t sur = 0;
    for (size_t k = 0; k < NELEM(COMPOUND_SURNAMES) && !sur; k++)
        sur = word_at(cp, n, 0, COMPOUND_SURNAMES[k]);
    if (sur)
        return n >= sur + 1 && n <= sur + 2;
    return n >= 2 && n <= 3 && cp_in(cp[0], SURNAMES);
}

/* Administrative levels (省, 自治区, 市, ...): an office's organisation that
 * is one of them alone, or with 人民政府/政府 after it (自治区主席,
 * 自治区人民政府主席, 省人民政府省长), names no place: the place is said
 * elsewhere (the dateline's congress). */
static const char *const BARE_LEVELS[] = {
    "省",     "市",         "县",        "縣",     "区",     "區",
    "州",     "盟",         "旗",        "乡",     "鄉",     "镇",
    "鎮",     "自治区",     "自治區",    "自治州", "自治县", "自治縣",
    "自治旗", "特别行政区", "特別行政區"};

/* Whether cp[0, n) is a bare administrative level (BARE_LEVELS), with
 * 人民政府 or 政府 after it or not. */
static int bare_level(const uint32_t *cp, size_t n)
{
    size_t g = word_before(cp, n, "人民政府");
    if (!g)
        g = word_before(cp, n, "政府");
    for (size_t k = 0; k < NELEM(BARE_LEVELS); k++)
        if (n > g && word_at(cp, n - g, 0, BARE_LEVELS[k]) == n - g)
            return 1;
    return 0;
}

/* Parses cp[0, n) as titles of office joined by 兼 or 、. Returns 1 and
 * fills org (the first organisation an office names, "" when none does or
 * it is a bare level: bare_level), or 0. */
static int offices(const uint32_t *cp, size_t n, char *org, size_t cap)
{
    org[0] = '\0';
    if (n == 0 || n > 40)
        return 0;
    size_t a = 0;
    while (a < n) {
        size_t b = a;
        while (b < n && cp[b] != 0x517C && cp[b] != 0x3001) /* 兼 、 */
            b++;
        /* the office cp[a, b): organisation, modifiers, head */
        size_t head =
            longest_before(cp + a, b - a, OFFICE_HEADS, NELEM(OFFICE_HEADS));
        uint32_t unit = 0;
        if (!head && b - a >= 2 &&
            (cp[b - 1] == 0x957F || cp[b - 1] == 0x9577) && /* 长 長 */
            cp_in(cp[b - 2], UNIT_HEAD_CHARS)) {
            head = 2;
            unit = cp[b - 2];
        }
        if (!head)
            return 0;
        size_t e = b - head, s = a, m;
        while (e > s && (m = longest_before(cp + s, e - s, OFFICE_MODIFIERS,
                                            NELEM(OFFICE_MODIFIERS))))
            e -= m;
        for (size_t k = 0; k < NELEM(OFFICE_LEADS); k++)
            if ((m = word_at(cp, e, s, OFFICE_LEADS[k]))) {
                s += m;
                break;
            }
        for (size_t i = s; i < e; i++)
            if (!bg_han_basic(cp[i]) || (not_in_name(cp[i]) && cp[i] != 0x548C))
                return 0; /* 和 is in names of organisations */
        /* a contraction shares the unit character (财政部长 = 财政部 +
         * 部长), unless the organisation's name is whole already
         * (四川省人民政府省长, 广东省省长) */
        int share =
            unit && e > s && !cp_in(cp[e - 1], UNIT_HEAD_CHARS) &&
            !longest_before(cp + s, e - s, OUTLET_ENDS, NELEM(OUTLET_ENDS));
        if (!org[0] && e - s + (size_t)share >= 2 &&
            !bare_level(cp + s, e - s)) {
            size_t used = put_cps(cp + s, e - s, org, cap);
            if (share && used + 5 < cap)
                put_cps(&unit, 1, org + used, cap - used);
        }
        a = b + 1;
        if (b < n && b + 1 == n)
            return 0; /* a trailing 兼 */
    }
    return 1;
}

/* A speaker line: offices then a name (blanks removed). */
static int speaker(const uint32_t *cp, size_t n, char *author, char *org)
{
    for (size_t k = 2; k <= 16 && k < n; k++)
        if (person_name(cp + n - k, k) && offices(cp, n - k, org, 256)) {
            put_cps(cp + n - k, k, author, 64);
            return 1;
        }
    return 0;
}

/* A speaker line whose name stands apart after a blank (l keeps blanks):
 * offices, a blank, then two to eight Han characters (a middle dot
 * inside allowed) that are no office, role, organisation or word of a
 * document (`西藏自治区代理主席 嘎玛泽登`): names transcribed from
 * Tibetan, Uyghur or Mongolian (no common surname, often four
 * characters) are found by the line's structure, not by a list. */
static int speaker_spaced(const cline *l, char *author, char *org)
{
    uint32_t left[40]; /* offices() takes at most 40 */
    size_t n = l->n, p = n, nl = 0;
    while (p > 0 && !is_space_cp(l->cp[p - 1]))
        p--;
    const uint32_t *t = l->cp + p;
    size_t k = n - p;
    if (p == 0 || k < 2 || k > 8)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (!(bg_han_basic(t[i]) && !not_in_name(t[i])) &&
            !(t[i] == 0xB7 && i > 0 && i + 1 < k))
            return 0;
    for (size_t i = 0; i < NELEM(NOT_NAMES); i++)
        if (word_at(t, k, 0, NOT_NAMES[i]) == k)
            return 0;
    if (longest_before(t, k, OFFICE_HEADS, NELEM(OFFICE_HEADS)) ||
        longest_before(t, k, OUTLET_ENDS, NELEM(OUTLET_ENDS)) ||
        longest_before(t, k, BYLINE_ROLES, NELEM(BYLINE_ROLES)) ||
        (t[k - 1] == 0x957F || t[k - 1] == 0x9577)) /* 长 長 */
        return 0;
    for (size_t i = 0; i < p; i++)
        if (!is_space_cp(l->cp[i])) {
            if (nl == NELEM(left))
                return 0;
            left[nl++] = l->cp[i];
        }
    if (!offices(left, nl, org, 256))
        return 0;
    put_cps(t, k, author, 64);
    return 1;
}

/* A press byline: blank-separated outlet/role and names (l keeps blanks).
 * Fills author (the first name) and org (the first outlet). */
static int byline(const cline *l, char *author, char *org)
{
    size_t i = 0, ntok = 0, names = 0, others = 0;
    author[0] = org[0] = '\0';
    while (i < l->n) {
        while (i < l->n && is_space_cp(l->cp[i]))
            i++;
        if (i == l->n)
            break;
        size_t a = i;
        while (i < l->n && !is_space_cp(l->cp[i]))
            i++;
        const uint32_t *t = l->cp + a;
        size_t n = i - a;
        ntok++;
        for (size_t k = 0; k < n; k++)
            if (!bg_han_basic(t[k]) && t[k] != 0xB7)
                return 0;
        if (person_name(t, n)) {
            if (!names++)
                put_cps(t, n, author, 64);
            continue;
        }
        size_t r = longest_before(t, n, BYLINE_ROLES, NELEM(BYLINE_ROLES));
        if (r && n - r <= 8) {
            others++;
            continue;
        }
        if (n >= 3 && longest_before(t, n, OUTLET_ENDS, NELEM(OUTLET_ENDS))) {
            if (!org[0])
                put_cps(t, n, org, 256);
            others++;
            continue;
        }
        return 0;
    }
    return names >= 1 && others >= 1 && ntok >= 2;
}

static int is_dash(uint32_t c)
{
    return c == 0x2014 || c == 0x2015 || c == 0x2500 || c == '-' ||
           c == 0xFF0D || c == 0x2013 || c == 0x2012;
}

/* A news dateline at the start of cp[0, n) (blanks removed): returns the
 * code points it takes (with a following (记者 …) or ( … ) note), or 0. */
static size_t news_dateline(const uint32_t *cp, size_t n)
{
    size_t i = 0, close = 0;
    if (i < n && (cp[i] == 0xFF08 || cp[i] == '(')) {
        i++;
        close = 1;
    }
    if (i < n && cp[i] == 0x636E) /* 据 */
        i++;
    size_t h = i;
    while (i < n && bg_han_basic(cp[i]) && i - h < 16 && digit_of(cp[i]) < 0 &&
           han_digit(cp[i]) < 0 && cp[i] != 0x8BAF) /* 讯 */
        i++;
    size_t han = i - h, end = 0;
    if (i < n && cp[i] == 0x8BAF && han >= 2) {
        /* 本报讯, 中央纪委国家监委网站讯: the outlet's last character */
        static const char media_end[] = "报報社网網站台刊";
        if (cp_in(cp[i - 1], media_end))
            end = i + 1;
    } else if (han >= 2) {
        size_t j = i;
        int mo, da;
        size_t dend;
        /* an optional year, then month and day */
        if (date_at(cp, n, j, &dend, &mo, &da) && mo && da) {
            j = dend;
        } else {
            int m = small_number(cp, n, &j);
            if (m < 1 || m > 12 || j >= n || cp[j] != 0x6708) /* 月 */
                return 0;
            j++;
            int d = small_number(cp, n, &j);
            if (d < 1 || d > 31 || j >= n || cp[j] != 0x65E5) /* 日 */
                return 0;
            j++;
        }
        if (j < n && (cp[j] == 0x7535 || cp[j] == 0x96FB)) /* 电 電 */
            end = j + 1;
    }
    if (!end)
        return 0;
    if (close) {
        if (end < n && (cp[end] == 0xFF09 || cp[end] == ')'))
            end++;
        else
            return 0;
    }
    /* （记者 王某）: a bracketed note right after */
    if (end < n && (cp[end] == 0xFF08 || cp[end] == '(')) {
        size_t j = end + 1;
        while (j < n && j - end <= 24 && cp[j] != 0xFF09 && cp[j] != ')')
            j++;
        if (j < n && j - end <= 24)
            end = j + 1;
    }
    return end;
}

/* A salutation at the start of cp[0, n) (blanks removed): returns the code
 * points it takes (with its mark), or 0. */
static size_t salutation(const uint32_t *cp, size_t n)
{
    size_t j = 0;
    while (j < n && j <= 16 && (bg_han_basic(cp[j]) || cp[j] == 0x3001))
        j++;
    if (j == 0 || j >= n || j > 16)
        return 0;
    uint32_t mark = cp[j];
    if (mark != 0xFF1A && mark != ':' && mark != 0xFF01 && mark != '!' &&
        mark != 0xFF0C && mark != ',')
        return 0;
    uint32_t last = cp[j - 1];
    int address = last == 0x4EEC || last == 0x5011 || /* 们 們 */
                  word_at(cp, j, 0, "各位") || word_at(cp, j, 0, "尊敬的") ||
                  word_at(cp, j, 0, "亲爱的") || word_at(cp, j, 0, "親愛的");
    return address ? j + 1 : 0;
}

/* A document number (发文字号) alone on a line, optionally in brackets:
 * issuer abbreviation, the year in brackets, the serial number and 号
 * (`余府发〔2012〕3号`, `（新质监办发〔2012〕24号）`). Returns the year or 0.
 */
static int doc_number(const uint32_t *cp, size_t n)
{
    size_t i = 0, h;
    int br = 0;
    if (i < n && (cp[i] == 0xFF08 || cp[i] == '('))
        i++, br = 1;
    for (h = i; i < n && bg_han_basic(cp[i]) && i - h <= 12;)
        i++;
    if (i == h || i >= n ||
        !(cp[i] == 0x3014 || cp[i] == '[' || cp[i] == 0x3010 ||
          cp[i] == 0xFF3B || cp[i] == 0xFF08 || cp[i] == '('))
        return 0;
    int y = 0, k;
    for (k = 0, i++; k < 4 && i < n && digit_of(cp[i]) >= 0; k++, i++)
        y = y * 10 + digit_of(cp[i]);
    if (k != 4 || y < 1900 || y > 2100 || i >= n ||
        !(cp[i] == 0x3015 || cp[i] == ']' || cp[i] == 0x3011 ||
          cp[i] == 0xFF3D || cp[i] == 0xFF09 || cp[i] == ')'))
        return 0;
    for (k = 0, i++; i < n && digit_of(cp[i]) >= 0; k++, i++)
        ;
    if (!k || i >= n || cp[i] != 0x53F7) /* 号 */
        return 0;
    i++;
    if (br && i < n && (cp[i] == 0xFF09 || cp[i] == ')'))
        i++;
    return i == n ? y : 0;
}

/* A dateline of a speech or document (blanks removed): a date, with a
 * month, after a dash or an opening bracket (the line not ending with
 * 。), or followed by 在/于 (`2025年1月14日在…会议上…作政府工作报告。`);
 * at most 60 characters. Fills date. */
static int dateline(const uint32_t *cp, size_t n, char *date)
{
    size_t i = 0;
    int led = 0;
    while (i < n && is_dash(cp[i]))
        i++, led = 1;
    if (!led && i < n && (cp[i] == 0xFF08 || cp[i] == '('))
        i++, led = 1;
    if (i >= n || n > 60)
        return 0;
    size_t end;
    int mo, da;
    int y = date_at(cp, n, i, &end, &mo, &da);
    if (!y || !mo)
        return 0;
    if (!led && !(end < n && (cp[end] == 0x5728 || cp[end] == 0x4E8E)))
        return 0; /* 在 于 */
    if (led && cp[n - 1] == 0x3002)
        return 0; /* ——2024年，…。 is a sentence */
    if (da)
        snprintf(date, 11, "%04d-%02d-%02d", y, mo, da);
    else
        snprintf(date, 11, "%04d-%02d", y, mo);
    return y;
}

/* The speaker a speech's dateline names, blanks removed: before 在/于
 * (`——2025年1月14日海南省省长刘小明在…`, the name first too:
 * `——2025年1月15日龚正市长在…`) or after the meeting's 会议上
 * (`2025年1月14日在…会议上北京市市长殷勇同志作政府工作报告。`: a trailing
 * 同志, 作…报告 and 。 are not the speaker's). Fills author and org (org
 * "" when the office names none) and returns 1, or 0. */
static int dateline_speaker(const uint32_t *cp, size_t n, char *author,
                            char *org)
{
    size_t i = 0, end;
    int mo, da;
    while (i < n && (is_dash(cp[i]) || cp[i] == 0xFF08 || cp[i] == '('))
        i++;
    if (i >= n || !date_at(cp, n, i, &end, &mo, &da))
        return 0;
    size_t at = end; /* the first 在/于 after the date */
    while (at < n && cp[at] != 0x5728 && cp[at] != 0x4E8E)
        at++;
    if (at < n && at > end) {
        const uint32_t *sp = cp + end;
        size_t k = at - end;
        if (speaker(sp, k, author, org))
            return 1;
        for (size_t nm = 2; nm <= 3 && nm < k; nm++) /* name, then office */
            if (person_name(sp, nm) && offices(sp + nm, k - nm, org, 256)) {
                put_cps(sp, nm, author, 64);
                return 1;
            }
    }
    /* after 会议上 */
    static const uint32_t meeting[] = {0x4F1A, 0x8BAE, 0x4E0A}; /* 会议上 */
    size_t from = 0;
    for (size_t j = at; j + 3 <= n; j++)
        if (memcmp(cp + j, meeting, sizeof meeting) == 0)
            from = j + 3;
    if (!from)
        return 0;
    size_t to = n;
    if (to > from && (cp[to - 1] == 0x3002 || cp[to - 1] == 0xFF0E))
        to--;
    for (size_t j = from; j < to; j++) /* 作…报告 */
        if (cp[j] == 0x4F5C && to - j >= 3 && cp[to - 2] == 0x62A5 &&
            cp[to - 1] == 0x544A) {
            to = j;
            break;
        }
    if (to - from > 2 && cp[to - 2] == 0x540C && cp[to - 1] == 0x5FD7)
        to -= 2; /* 同志 */
    return to > from && speaker(cp + from, to - from, author, org);
}

/* The place of the congress a speech's dateline names, blanks removed:
 * the Han characters between 在 and 第N届 when 人民代表大会 follows
 * (`…在上海市第十六届人民代表大会第三次会议上` gives 上海市; a national
 * congress, 在第十四届全国人民代表大会, gives none). Fills place ("" when
 * none). */
static void congress_place(const uint32_t *cp, size_t n, char *place,
                           size_t cap)
{
    static const uint32_t npc[] = {0x4EBA, 0x6C11, 0x4EE3,
                                   0x8868, 0x5927, 0x4F1A}; /* 人民代表大会 */
    place[0] = '\0';
    for (size_t at = 0; at < n; at++) {
        if (cp[at] != 0x5728) /* 在 */
            continue;
        size_t e = at + 1;
        while (e < n && bg_han_basic(cp[e]) && cp[e] != 0x7B2C) /* 第 */
            e++;
        if (e - at - 1 < 2 || e - at - 1 > 12 || e >= n)
            return;
        size_t j = e + 1;
        while (j < n && (han_digit(cp[j]) >= 0 || digit_of(cp[j]) >= 0 ||
                         cp[j] == 0x5341 || cp[j] == 0x767E)) /* 十 百 */
            j++;
        if (j == e + 1 || j >= n || cp[j] != 0x5C4A) /* 届 */
            return;
        for (j++; j + 6 <= n; j++)
            if (memcmp(cp + j, npc, sizeof npc) == 0) {
                put_cps(cp + at + 1, e - at - 1, place, cap);
                return;
            }
        return;
    }
}

/* Labels of the metadata line of a web page or an export
 * (`来源：中央纪委国家监委网站 发布时间： 2022-05-09 06:20`), with the field
 * each gives: d date, o organisation, a author, - none (来源 names where a
 * text was taken from, often a newspaper reprinting it, not its issuer). */
static const struct {
    const char *label;
    char field;
} FIELD_LABELS[] = {
    {"发布时间", 'd'}, {"發布時間", 'd'}, {"發佈時間", 'd'}, {"发布日期", 'd'},
    {"發布日期", 'd'}, {"发文日期", 'd'}, {"成文日期", 'd'}, {"印发日期", 'd'},
    {"发表时间", 'd'}, {"更新时间", 'd'}, {"日期", 'd'},     {"时间", 'd'},
    {"時間", 'd'},     {"信息来源", '-'}, {"文章来源", '-'}, {"稿件来源", '-'},
    {"来源", '-'},     {"來源", '-'},     {"发布机构", 'o'}, {"发文机关", 'o'},
    {"发文单位", 'o'}, {"发布单位", 'o'}, {"作者", 'a'},     {"责任编辑", '-'},
    {"編輯", '-'},     {"编辑", '-'},     {"字号", '-'},     {"浏览次数", '-'},
    {"阅读次数", '-'}, {"点击数", '-'}};

/* A label of FIELD_LABELS and its colon at cp[i]: returns the code points
 * up to the value (blanks after the colon included) and sets *field, or
 * returns 0. */
static size_t field_label(const uint32_t *cp, size_t n, size_t i, char *field)
{
    size_t best = 0;
    for (size_t k = 0; k < NELEM(FIELD_LABELS); k++) {
        size_t m = word_at(cp, n, i, FIELD_LABELS[k].label);
        if (m <= best)
            continue;
        size_t j = i + m;
        while (j < n && is_space_cp(cp[j]))
            j++;
        if (j < n && (cp[j] == 0xFF1A || cp[j] == ':')) {
            best = m;
            *field = FIELD_LABELS[k].field;
        }
    }
    if (!best)
        return 0;
    size_t j = i + best;
    while (j < n && (is_space_cp(cp[j]) || cp[j] == 0xFF1A || cp[j] == ':'))
        j++;
    return j - i;
}

/* A field's date: a date, then at most a time of day (`2022-05-09 06:20`);
 * a value that says more (`修建好-----现在！（2014年）`) is text. */
static int field_date(const uint32_t *cp, size_t n, char *date)
{
    size_t end;
    int mo, da, y = date_at(cp, n, 0, &end, &mo, &da);
    if (!y)
        return 0;
    for (size_t i = end; i < n; i++)
        if (digit_of(cp[i]) < 0 && cp[i] != ':' && cp[i] != 0xFF1A &&
            !is_space_cp(cp[i]))
            return 0;
    if (da)
        snprintf(date, 11, "%04d-%02d-%02d", y, mo, da);
    else if (mo)
        snprintf(date, 11, "%04d-%02d", y, mo);
    else
        snprintf(date, 11, "%04d", y);
    return y;
}

/* A metadata line of labelled fields (l keeps blanks): the whole line is
 * LABEL：value parts, each value what its label calls for (a date and at
 * most a time; an organisation's name in Han characters; a person's name;
 * any 40 characters for the others). Fills what they give. */
static int field_line(const cline *l, char *author, char *org, char *date)
{
    size_t i = 0, parts = 0;
    char f = 0, d[11];
    author[0] = org[0] = date[0] = '\0';
    if (l->too_long || !l->n || !field_label(l->cp, l->n, 0, &f))
        return 0;
    while (i < l->n) {
        size_t m = field_label(l->cp, l->n, i, &f);
        if (!m)
            return 0;
        size_t a = i + m, b = a;
        /* the value runs to the next label after a blank */
        char g;
        while (b < l->n && !(is_space_cp(l->cp[b]) && b + 1 < l->n &&
                             field_label(l->cp, l->n, b + 1, &g)))
            b++;
        size_t e = b;
        while (e > a && is_space_cp(l->cp[e - 1]))
            e--;
        i = b < l->n ? b + 1 : b;
        if (e == a)
            continue;
        const uint32_t *v = l->cp + a;
        size_t n = e - a;
        if (n > 40)
            return 0;
        if (f == 'd') {
            if (!field_date(v, n, d))
                return 0;
            if (!date[0])
                memcpy(date, d, sizeof d);
        } else if (f == 'o') {
            for (size_t k = 0; k < n; k++)
                if (!bg_han_basic(v[k]))
                    return 0;
            if (!org[0])
                put_cps(v, n, org, 256);
        } else if (f == 'a') {
            if (!person_name(v, n))
                return 0;
            if (!author[0])
                put_cps(v, n, author, 64);
        }
        parts++;
    }
    return parts > 0;
}

/* ---- titles of web pages ------------------------------------------------ */

/* Ends title (malloc'd UTF-8, changed in place) before what is no part of
 * it. A page's <title> (page_title) carries the site and its section
 * after a dash or an underscore (`评论——中央纪委国家监委网站`,
 * `…顽疾————要闻——中央纪委国家监委网站`): trailing parts that name an
 * outlet (they end with 网站, 杂志, 报, …) or a section (at most four
 * characters) go, with their separators. Any title: a trailing press
 * byline (`… 本刊记者  杨巨帅`) goes. The title is never emptied. */
void bg_ingest_title_clean(char *title, int page_title)
{
    static const char *const seps[] = {"——", "--", "－－", "_"};
    size_t n = strlen(title);
    if (bg_utf8_valid_prefix(title, n) != n)
        return;
    for (int round = 0; page_title && round < 8; round++) {
        /* the last separator and the part after it */
        char *best = NULL;
        size_t blen = 0;
        for (size_t k = 0; k < NELEM(seps); k++)
            for (char *p = strstr(title, seps[k]); p;
                 p = strstr(p + 1, seps[k]))
                if (!best || p > best)
                    best = p, blen = strlen(seps[k]);
        if (!best || best == title)
            break;
        cline part;
        const char *after = best + blen;
        read_line(after, 0, strlen(after), 1, &part);
        int cut =
            part.n == 0 || (!part.too_long && part.n <= 4) ||
            (!part.too_long &&
             longest_before(part.cp, part.n, OUTLET_ENDS, NELEM(OUTLET_ENDS)));
        if (!cut)
            break;
        *best = '\0';
        /* the separator may be doubled (————) */
        for (size_t k = 0; k < NELEM(seps); k++) {
            size_t m = strlen(seps[k]), len = strlen(title);
            while (len > m && strcmp(title + len - m, seps[k]) == 0) {
                title[len - m] = '\0';
                len -= m;
            }
        }
    }
    /* a byline after a blank: the shortest suffix of blank-separated
     * parts that is one */
    cline *l = malloc(sizeof *l);
    if (!l)
        return;
    n = strlen(title);
    read_line(title, 0, n, 0, l);
    if (!l->too_long) {
        for (size_t i = 1; i < l->n; i++) {
            if (is_space_cp(l->cp[i]))
                continue;
            if (!is_space_cp(l->cp[i - 1])) {
                /* a role glued to the title (…不容有失本刊记者  侯逸宁):
                 * the byline may start at it */
                size_t e = i;
                while (e < l->n && !is_space_cp(l->cp[e]))
                    e++;
                size_t r = longest_before(l->cp + i, e - i, BYLINE_ROLES,
                                          NELEM(BYLINE_ROLES));
                if (!r || e == l->n)
                    continue;
                static const char *const own[] = {"本刊", "本报", "本台",
                                                  "本网", "本報", "本臺"};
                size_t at = e - r;
                for (size_t k = 0; k < NELEM(own) && at >= i + 2; k++)
                    if (word_at(l->cp, e, at - 2, own[k])) {
                        at -= 2;
                        break;
                    }
                if (at == i || at != i + (e - i) - (e - at))
                    continue;
                i = at; /* try the tail from the role word */
            }
            cline tail;
            tail.n = l->n - i;
            tail.too_long = 0;
            memcpy(tail.cp, l->cp + i, tail.n * sizeof *tail.cp);
            char author[64], org[256];
            if (!byline(&tail, author, org))
                continue;
            /* cut before the blanks ahead of the byline */
            size_t keep = i;
            while (keep > 0 && is_space_cp(l->cp[keep - 1]))
                keep--;
            if (keep == 0)
                break;
            put_cps(l->cp, keep, title, n + 1);
            break;
        }
    }
    free(l);
}

/* ---- sign-off and byline lines ------------------------------------------ */

/* Unit words that end an organisation's name (Simplified and Traditional). */
static const char *const UNITS[] = {
    "人民政府", "政府",   "委员会", "委員會", "党委",   "黨委",
    "镇",       "鎮",     "乡",     "鄉",     "街道",   "局",
    "办公室",   "辦公室", "厅",     "廳",     "中心",   "公司",
    "学校",     "學校",   "医院",   "醫院",   "村委会", "村委會",
    "支部",     "科",     "处",     "處",     "部"};

enum { SIGN_NONE, SIGN_DATE, SIGN_NAME, SIGN_ORG };

/* Classifies a line (blanks removed) as a sign-off: a date alone, a name
 * alone, or an organisation (after a dash) with or without a name after
 * it. Fills author/org/date. */
static int signoff(const cline *l, char *author, char *org, char *date)
{
    author[0] = org[0] = date[0] = '\0';
    if (l->too_long || l->n == 0 || l->n > 40)
        return SIGN_NONE;
    if (parse_cps(l->cp, l->n, 1, date))
        return SIGN_DATE;
    date[0] = '\0';
    size_t a = 0;
    int dash = 0;
    while (a < l->n && is_dash(l->cp[a])) {
        a++;
        dash = 1;
    }
    for (size_t i = a; i < l->n; i++)
        if (!bg_han_basic(l->cp[i]) || not_in_name(l->cp[i]))
            return SIGN_NONE;
    size_t m = l->n - a;
    if (!dash && person_name(l->cp + a, m)) {
        put_cps(l->cp + a, m, author, 64);
        return SIGN_NAME;
    }
    /* organisation + name: the last unit word followed by a name */
    char buf[LINE_MAX_CP * 4 + 8];
    put_cps(l->cp + a, m, buf, sizeof buf);
    for (size_t k = 0; k < NELEM(UNITS); k++) {
        const char *u = UNITS[k], *hit = NULL, *p = buf;
        while ((p = strstr(p, u)) != NULL) {
            hit = p;
            p += strlen(u);
        }
        if (!hit)
            continue;
        const char *rest = hit + strlen(u);
        if (!*rest && dash) {
            snprintf(org, 256, "%.255s", buf);
            return SIGN_ORG;
        }
        cline nm;
        read_line(rest, 0, strlen(rest), 1, &nm);
        if (hit > buf && person_name(nm.cp, nm.n)) {
            int olen = (int)(rest - buf) < 255 ? (int)(rest - buf) : 255;
            snprintf(org, 256, "%.*s", olen, buf);
            snprintf(author, 64, "%.63s", rest);
            return SIGN_ORG;
        }
    }
    return SIGN_NONE;
}

/* The issuer's name alone on a line, as it signs an official document
 * above the date (落款): 4 to 40 Han characters (quotes and brackets
 * allowed) ending with a unit word (局, 办公室, 人民政府, 委员会, …).
 * Fills org. */
static int issuer_line(const cline *ns, char *org)
{
    size_t n = ns->n;
    if (ns->too_long || n < 4 || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!bg_han_basic(ns->cp[i]) && ns->cp[i] != 0x201C &&
            ns->cp[i] != 0x201D && ns->cp[i] != 0xFF08 && ns->cp[i] != 0xFF09 &&
            ns->cp[i] != 0x300A && ns->cp[i] != 0x300B)
            return 0;
    if (!longest_before(ns->cp, n, UNITS, NELEM(UNITS)) &&
        !longest_before(ns->cp, n, OUTLET_ENDS, NELEM(OUTLET_ENDS)))
        return 0;
    put_cps(ns->cp, n, org, 256);
    return 1;
}

/* ---- lines of a document ------------------------------------------------ */

typedef struct line_ref {
    size_t a, b; /* trimmed [a, b) */
} line_ref;

static int is_blank_line(const char *s, size_t a, size_t b)
{
    cline l;
    read_line(s, a, b, 1, &l);
    return l.n == 0;
}

static void trim(const char *s, size_t *a, size_t *b)
{
    for (;;) {
        size_t next;
        if (*a >= *b)
            return;
        uint32_t c = bg_utf8_next(s, *a, &next);
        if (!is_space_cp(c))
            break;
        *a = next;
    }
    for (;;) {
        if (*b <= *a)
            return;
        size_t k = *b - 1;
        while (k > *a && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        size_t next;
        uint32_t c = bg_utf8_next(s, k, &next);
        if (!is_space_cp(c))
            return;
        *b = k;
    }
}

static int starts_with(const char *s, size_t a, size_t b, const char *p)
{
    size_t n = strlen(p);
    return b - a >= n && memcmp(s + a, p, n) == 0;
}

static int add_skip(bg_docspan *d, size_t a, size_t b)
{
    bg_range *p = realloc(d->skip, (d->nskip + 1) * sizeof *p);
    if (!p)
        return BG_ENOMEM;
    d->skip = p;
    d->skip[d->nskip].start = a;
    d->skip[d->nskip].end = b;
    d->nskip++;
    return 0;
}

static int set_str(char **field, const char *v)
{
    if (*field || !v || !*v)
        return 0;
    return (*field = strdup(v)) ? 0 : BG_ENOMEM;
}

/* What a line of a document's head or tail is. */
enum {
    L_TEXT,     /* a short line: a title or a heading */
    L_BODY,     /* running text: no title */
    L_CLAUSE,   /* ends with ：，；、: leads into what follows, no title */
    L_SALUTE,   /* a salutation, alone or opening the body */
    L_NEWS,     /* a news dateline alone (metadata) */
    L_NEWSBODY, /* a news dateline opening the body */
    L_SPEAKER,  /* offices and a name (metadata) */
    L_OFFICE,   /* offices alone: metadata when a name line follows */
    L_NAME,     /* a name alone (metadata) */
    L_ORGNAME,  /* organisation and name, or a dashed organisation */
    L_BYLINE,   /* a press byline (metadata) */
    L_FIELDS, /* labelled fields: 来源：… 发布时间：… (metadata) */
    L_DOCNO,  /* a document number 〔2012〕3号 (metadata: its year) */
    L_DATE    /* a date alone or a dateline (metadata) */
};

typedef struct line_info {
    int kind, year;
    char author[64], org[256], date[11];
    char place[64]; /* L_DATE: the place of the congress it names, or "" */
} line_info;

/* Sentence-final marks that make a line running text; closing quotes and
 * brackets after them are looked through. */
static int final_mark(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' ||
           c == 0xFF0E;
}

static int closing_cp(uint32_t c)
{
    return c == 0x201D || c == 0x2019 || c == '"' || c == '\'' || c == 0xFF09 ||
           c == ')' || c == 0x300D || c == 0x300F || c == 0x300B;
}

/* Classifies s[a, b) (trimmed, not blank); l and ns are scratch. */
static void classify(const char *s, size_t a, size_t b, cline *l, cline *ns,
                     line_info *li)
{
    li->kind = L_TEXT;
    li->year = 0;
    li->author[0] = li->org[0] = li->date[0] = li->place[0] = '\0';
    read_line(s, a, b, 0, l);
    read_line(s, a, b, 1, ns);
    if (ns->too_long) {
        li->kind = L_BODY;
        return;
    }
    size_t n = ns->n, k;
    const uint32_t *cp = ns->cp;
    if (parse_cps(cp, n, 1, li->date)) {
        li->kind = L_DATE;
        return;
    }
    if (dateline(cp, n, li->date)) {
        li->kind = L_DATE;
        if (!dateline_speaker(cp, n, li->author, li->org))
            li->author[0] = li->org[0] = '\0';
        congress_place(cp, n, li->place, sizeof li->place);
        return;
    }
    li->date[0] = '\0';
    if ((li->year = doc_number(cp, n))) {
        li->kind = L_DOCNO;
        return;
    }
    if ((k = news_dateline(cp, n))) {
        li->kind = k == n ? L_NEWS : L_NEWSBODY;
        return;
    }
    if (field_line(l, li->author, li->org, li->date)) {
        li->kind = L_FIELDS;
        return;
    }
    li->author[0] = li->org[0] = li->date[0] = '\0';
    if (salutation(cp, n)) {
        li->kind = L_SALUTE;
        return;
    }
    if (speaker(cp, n, li->author, li->org) ||
        speaker_spaced(l, li->author, li->org)) {
        li->kind = L_SPEAKER;
        return;
    }
    if (offices(cp, n, li->org, sizeof li->org)) {
        li->kind = L_OFFICE;
        return;
    }
    switch (signoff(ns, li->author, li->org, li->date)) {
    case SIGN_DATE:
        li->kind = L_DATE;
        return;
    case SIGN_NAME:
        li->kind = L_NAME;
        return;
    case SIGN_ORG:
        li->kind = L_ORGNAME;
        return;
    default:
        break;
    }
    if (byline(l, li->author, li->org)) {
        li->kind = L_BYLINE;
        return;
    }
    li->author[0] = li->org[0] = '\0';
    size_t e = n;
    while (e > 0 && closing_cp(cp[e - 1]))
        e--;
    uint32_t last = e ? cp[e - 1] : 0;
    if (last == 0xFF1A || last == ':' || last == 0xFF0C || last == ',' ||
        last == 0xFF1B || last == ';' || last == 0x3001)
        li->kind = L_CLAUSE;
    else if (n > 30 && final_mark(last))
        li->kind = L_BODY;
}

/* Whether a line holds a letter, a digit or a Han character: one of
 * punctuation and symbols only (——————, ……, ＊＊＊) is a separator, never
 * a title (it became a theme with no words). */
static int has_word(const cline *l)
{
    for (size_t k = 0; k < l->n; k++) {
        uint32_t c = l->cp[k];
        if ((c >= '0' && c <= '9') ||
            ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || bg_ideographic(c) ||
            (c >= 0xFF10 && c <= 0xFF19) ||
            ((c | 0x20) >= 0xFF41 && (c | 0x20) <= 0xFF5A) ||
            (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7))
            return 1;
    }
    return 0;
}

static int is_meta(int kind)
{
    return kind == L_NEWS || kind == L_SPEAKER || kind == L_NAME ||
           kind == L_ORGNAME || kind == L_BYLINE || kind == L_FIELDS ||
           kind == L_DOCNO || kind == L_DATE;
}

/* Year and author from the file name: `1987政府工作报告_赵紫阳.txt`,
 * `2025年上海市政府工作报告.docx`; the title too when the text has no
 * title line (`述职报告.txt`). */
static int from_file_name(const bg_source *src, bg_docspan *d)
{
    const char *base = strrchr(src->path, '/');
    base = base ? base + 1 : src->path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot)
        n = (size_t)(dot - base);
    if (bg_utf8_valid_prefix(base, n) != n)
        return 0;
    char date[11];
    int y = bg_ingest_parse_date(base, n, 0, date);
    if (y && !d->year)
        d->year = y;
    if (y && !d->date && set_str(&d->date, date))
        return BG_ENOMEM;
    /* no title line and no title field: the name without its extension,
     * and for a record its id (`messages #25918`) or number (`reports #3`) */
    if (!d->title && d->title_start == d->title_end && n) {
        bg_buf t = {0};
        cJSON *meta = d->record && d->meta ? cJSON_Parse(d->meta) : NULL;
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(meta, "id");
        int rc = bg_buf_add(&t, base, n);
        if (rc == 0 && d->record)
            rc = cJSON_IsString(id) && id->valuestring[0] &&
                         strlen(id->valuestring) <= 40
                     ? bg_buf_printf(&t, " #%s", id->valuestring)
                     : bg_buf_printf(&t, " #%zu", d->record);
        cJSON_Delete(meta);
        if (rc) {
            bg_buf_free(&t);
            return BG_ENOMEM;
        }
        d->title = t.data;
    }
    /* `…报告_NAME[_…]`: the first '_'-separated part after the one naming
     * the report that is a person's name (`1964政府工作报告_周恩来_摘要`) */
    const char *rep = strstr(base, "报告");
    if (!rep || (size_t)(rep - base) >= n)
        return 0;
    for (const char *us = memchr(rep, '_', n - (size_t)(rep - base)); us;) {
        size_t a = (size_t)(us + 1 - base);
        const char *next = memchr(base + a, '_', n - a);
        size_t b = next ? (size_t)(next - base) : n;
        cline l;
        read_line(base, a, b, 1, &l);
        if (!l.too_long && person_name(l.cp, l.n)) {
            char name[64];
            put_cps(l.cp, l.n, name, sizeof name);
            return set_str(&d->author, name);
        }
        us = next;
    }
    return 0;
}

/* The date of a title that opens with it (`2014年政府工作报告`,
 * `2006政府工作报告`, `2013年4月15日在…的讲话`): a date inside a title
 * (`关于1955年国家决算…`, `…自2017年9月15日起执行`) is what it is about,
 * not its date. */
static int title_date(const char *t, size_t n, char date[11])
{
    cline l;
    if (bg_utf8_valid_prefix(t, n) != n)
        return 0;
    read_line(t, 0, n, 1, &l);
    size_t end;
    int mo, da, y = l.n ? date_at(l.cp, l.n, 0, &end, &mo, &da) : 0;
    if (!y)
        return 0;
    if (da)
        snprintf(date, 11, "%04d-%02d-%02d", y, mo, da);
    else if (mo)
        snprintf(date, 11, "%04d-%02d", y, mo);
    else
        snprintf(date, 11, "%04d", y);
    return y;
}

/* A document's head and tail as bg_ingest_meta reads them: the text, the
 * scratch lines, where the head's reading stands (i) and ends (head_end),
 * the year of a document number seen, and the place whose congress a
 * dateline names: the organisation when no office names one. */
typedef struct meta_scan {
    const char *s;
    bg_docspan *d;
    cline *l, *ns;
    size_t i, head_end;
    int docno;
    char place[64]; /* a speech dateline's place (上海市第十六届人民代表大会) */
} meta_scan;

/* Records a metadata line of m's document d: skipped as a sentence, its
 * fields kept. */
static int take_meta(meta_scan *m, bg_docspan *d, size_t a, size_t b,
                     const line_info *li)
{
    int rc;
    if (li->year && !m->docno)
        m->docno = li->year;
    if (!m->place[0])
        snprintf(m->place, sizeof m->place, "%s", li->place);
    if ((rc = add_skip(d, a, b)) || (rc = set_str(&d->author, li->author)) ||
        (rc = set_str(&d->org, li->org)) || (rc = set_str(&d->date, li->date)))
        return rc;
    return 0;
}

/* The next non-blank line of d at or after *i (trimmed into *a, *b);
 * *i moves past it. Returns 0 at the document's end. */
static int next_line(const char *s, const bg_docspan *d, size_t *i, size_t *a,
                     size_t *b)
{
    while (*i < d->end) {
        const char *e = memchr(s + *i, '\n', d->end - *i);
        size_t eol = e ? (size_t)(e - s) : d->end;
        *a = *i;
        *b = eol;
        *i = eol + 1;
        trim(s, a, b);
        if (*a < *b && !is_blank_line(s, *a, *b))
            return 1;
    }
    return 0;
}

/* An office line at a..b (国务院总理) followed by a name line (李　强)
 * from *j on: both taken as metadata, *j past the name. Returns 1 when
 * taken, 0 when the next line is no name, or an error (negative: -rc). */
static int office_then_name(meta_scan *m, size_t a, size_t b,
                            const line_info *li, size_t *j, size_t *name_end)
{
    size_t j2 = *j, a2, b2;
    line_info nx;
    int rc;
    if (!next_line(m->s, m->d, &j2, &a2, &b2))
        return 0;
    classify(m->s, a2, b2, m->l, m->ns, &nx);
    if (nx.kind != L_NAME)
        return 0;
    snprintf(nx.org, sizeof nx.org, "%s", li->org);
    if ((rc = add_skip(m->d, a, b)) || (rc = take_meta(m, m->d, a2, b2, &nx)))
        return -rc;
    *j = j2;
    *name_end = b2;
    return 1;
}

/* Before the title: export debris, and metadata lines (a speaker, a
 * byline, a news dateline, a date) that some sources put first; a
 * salutation, a lead-in or running text means the text has no title line
 * (the record's field or the file's name gives it). Sets d's title range;
 * *have_title whether a title line was found. */
static int head_before_title(meta_scan *m, int *have_title)
{
    const char *s = m->s;
    bg_docspan *d = m->d;
    size_t a, b;
    line_info li;
    int rc;
    for (size_t pre = 0; next_line(s, d, &m->i, &a, &b);) {
        m->head_end = b;
        if (starts_with(s, a, b, "【法宝引证码】") ||
            starts_with(s, a, b, "原文链接") ||
            starts_with(s, a, b, "http://") ||
            starts_with(s, a, b, "https://")) {
            if ((rc = add_skip(d, a, b)))
                return rc;
            continue;
        }
        classify(s, a, b, m->l, m->ns, &li);
        if (pre < 4 && li.kind != L_NAME && is_meta(li.kind)) {
            if ((rc = take_meta(m, d, a, b, &li)))
                return rc;
            pre++;
            continue;
        }
        if (pre < 4 && li.kind == L_OFFICE) {
            /* 国务院总理 / 李　强: offices, then the name on a line */
            int t = office_then_name(m, a, b, &li, &m->i, &m->head_end);
            if (t < 0)
                return -t;
            if (t) {
                pre++;
                continue;
            }
        }
        if ((li.kind == L_TEXT || li.kind == L_NAME || li.kind == L_OFFICE) &&
            has_word(m->ns)) {
            d->title_start = a;
            d->title_end = b;
            *have_title = 1;
        } else {
            d->title_start = d->title_end = a;
        }
        break;
    }
    return 0;
}

/* Whether s[a, b) and s[c, d) (valid UTF-8) are the same text once folded
 * by ICU's NFKC_Casefold, as the analysis form folds them: a title written
 * again with full-width brackets or digits, （RCEP） for (RCEP). Lines of
 * over 512 UTF-16 units are compared byte for byte only. */
static int same_folded(const char *s, size_t a, size_t b, size_t c, size_t d)
{
    enum { N = 512 };
    UChar u[2][N], f[2][2 * N];
    int32_t len[2];
    const size_t from[2] = {a, c}, to[2] = {b, d};
    UErrorCode e = U_ZERO_ERROR;
    const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&e);
    for (int k = 0; k < 2 && U_SUCCESS(e); k++) {
        int32_t n;
        u_strFromUTF8(u[k], N, &n, s + from[k], (int32_t)(to[k] - from[k]), &e);
        if (U_SUCCESS(e) && n >= N)
            return 0;
        len[k] = unorm2_normalize(nf, u[k], n, f[k], 2 * N, &e);
    }
    return U_SUCCESS(e) && len[0] == len[1] &&
           memcmp(f[0], f[1], (size_t)len[0] * sizeof(UChar)) == 0;
}

/* After the title: the title written again (as database exports do), up
 * to three more title lines (no end mark, before any metadata), then a run
 * of metadata lines: speaker, names, byline, dateline. */
static int head_after_title(meta_scan *m, bg_source *src)
{
    const char *s = m->s;
    bg_docspan *d = m->d;
    size_t a, b;
    line_info li;
    int rc;
    for (size_t k = 0, seen = 0; k < 8; k++) {
        size_t j = m->i;
        if (!next_line(s, d, &j, &a, &b))
            break;
        if (k == 0 && d->title_end > d->title_start &&
            ((b - a == d->title_end - d->title_start &&
              memcmp(s + a, s + d->title_start, b - a) == 0) ||
             same_folded(s, a, b, d->title_start, d->title_end))) {
            /* dropped from the sentences: said, never silent */
            if ((rc = add_skip(d, a, b)) ||
                (rc = bg_ingest_warn(src,
                                     "title written twice: the copy at "
                                     "%zu-%zu is not a sentence",
                                     a, b)))
                return rc;
            m->i = j;
            m->head_end = b;
            continue;
        }
        classify(s, a, b, m->l, m->ns, &li);
        if (li.kind == L_OFFICE) {
            size_t after = j;
            int t = office_then_name(m, a, b, &li, &after, &m->head_end);
            if (t < 0)
                return -t;
            if (t) {
                m->i = after;
                seen = 1;
                continue;
            }
        }
        if (is_meta(li.kind)) {
            if ((rc = take_meta(m, d, a, b, &li)))
                return rc;
            seen = 1;
        } else if (seen || li.kind != L_TEXT || k >= 3) {
            break;
        }
        m->i = j;
        m->head_end = b;
    }
    return 0;
}

/* An official document's signing date stands alone on a line after its
 * opening paragraph, before any attachment (…的通知 / 主送：/ 正文 /
 * 二○一二年一月九日): the first date line of the next eight, with the
 * issuer signing above it. */
static int signing_date(meta_scan *m)
{
    const char *s = m->s;
    size_t j2 = m->i, pa = 0, pb = 0, a, b;
    line_info li, nx;
    int rc;
    for (size_t k = 0; k < 8 && next_line(s, m->d, &j2, &a, &b); k++) {
        classify(s, a, b, m->l, m->ns, &li);
        if (li.kind == L_DATE) {
            if ((rc = take_meta(m, m->d, a, b, &li)))
                return rc;
            /* the issuer signing above the date */
            if (k > 0) {
                read_line(s, pa, pb, 1, m->ns);
                if (issuer_line(m->ns, nx.org)) {
                    nx.author[0] = nx.date[0] = '\0';
                    nx.year = 0;
                    if ((rc = take_meta(m, m->d, pa, pb, &nx)))
                        return rc;
                }
            }
            break;
        }
        pa = a;
        pb = b;
    }
    return 0;
}

/* The tail: the last three non-blank lines after the head, last first; a
 * run of sign-off lines (name, organisation, date). */
static int tail_signoff(meta_scan *m)
{
    const char *s = m->s;
    bg_docspan *d = m->d;
    size_t j = d->end, a, b;
    line_info li;
    int dated = 0, rc;
    for (size_t nt = 0; j > m->head_end && nt < 3;) {
        size_t k = j;
        while (k > d->start && s[k - 1] != '\n')
            k--;
        a = k;
        b = j;
        j = k > d->start ? k - 1 : d->start;
        trim(s, &a, &b);
        if (a >= b || is_blank_line(s, a, b) || a < m->head_end) {
            if (k <= d->start)
                break;
            continue;
        }
        nt++;
        classify(s, a, b, m->l, m->ns, &li);
        /* the issuer signing above a date taken below it */
        if (!is_meta(li.kind) && dated && issuer_line(m->ns, li.org))
            li.kind = L_ORGNAME;
        if (!is_meta(li.kind))
            break;
        dated = li.kind == L_DATE;
        if ((rc = take_meta(m, d, a, b, &li)))
            return rc;
        if (k <= d->start)
            break;
    }
    return 0;
}

int bg_ingest_meta(bg_source *src, bg_docspan *d)
{
    const char *s = src->bytes;
    cline *l = malloc(2 * sizeof *l);
    meta_scan m = {s, d, l, l ? l + 1 : NULL, d->start, d->start, 0, ""};
    int rc = 0, have_title = 0;
    if (!l)
        return BG_ENOMEM;
    if ((rc = head_before_title(&m, &have_title)) ||
        (have_title && (rc = head_after_title(&m, src))) ||
        (!d->date && (rc = signing_date(&m))) || (rc = tail_signoff(&m)))
        goto cleanup;
    /* the date: a dateline or sign-off above, else the title's, else the
     * year of the document number, else the file name's; never one from
     * running text */
    char date[11];
    const char *t = d->title ? d->title : s + d->title_start;
    size_t tn = d->title ? strlen(d->title) : d->title_end - d->title_start;
    if (!d->date && title_date(t, tn, date) && (rc = set_str(&d->date, date)))
        goto cleanup;
    if (!d->date && m.docno) {
        snprintf(date, sizeof date, "%04d", m.docno);
        if ((rc = set_str(&d->date, date)))
            goto cleanup;
    }
    /* a speaker whose office names no organisation (省长 王予波) speaks
     * for the place whose congress the dateline names */
    if (d->author && (rc = set_str(&d->org, m.place)))
        goto cleanup;
    if ((rc = from_file_name(src, d)))
        goto cleanup;
    if (d->date && !d->year)
        d->year = atoi(d->date);
cleanup:
    free(l);
    return rc;
}
