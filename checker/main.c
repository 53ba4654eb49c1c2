/*
 * main.c - the fzcheck command line: help, version, and the dispatch to
 * each command's module (cli.h).
 *
 *   fzcheck check [--rules PATH] [--units ROSTER] [--json FILE|-]
 *                 [--jsonl FILE|-] [--xlsx FILE] [--jobs N] [--timeout S]
 *                 [--memory MB] [--verbose|--quiet] [--name NAME] PATH...|-
 *   fzcheck merge [--rules PATH] [--units ROSTER] [--json FILE|-]
 *                 [--xlsx FILE] [--verbose|--quiet] SHARD.jsonl...
 *   fzcheck outline [--rules PATH] FILE...
 *   fzcheck text [--normalized] FILE...
 *   fzcheck rules check|list|test [PATH]
 *   fzcheck serve [--listen ADDR:PORT] [--rules PATH] [--units ROSTER] [--token T] …
 *   fzcheck --help | --version
 *
 * Exit status: 0 every report meets every required rule; 1 some report
 * has a required gap or could not be read; 2 bad usage, a bad rule pack,
 * or an output that could not be written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "cli.h"
#include "util.h"

#ifndef FZ_VERSION
#define FZ_VERSION "0.0.0"
#endif

static const char usage_text[] =
    "用法：\n"
    "  fzcheck check [--rules 规则包] [--units 单位名单] [--json 文件|-] [--jsonl 文件|-] [--xlsx 文件.xlsx]\n"
    "                [--html 文件夹] [--annotate 文件夹] [--jobs N] [--verbose|--quiet] 报告或目录...\n"
    "  fzcheck check [选项] [--name 文件名] -     （从标准输入读一份报告）\n"
    "  fzcheck merge [--rules 规则包] [--units 单位名单] [--json 文件|-] [--xlsx 文件.xlsx] 分片.jsonl...\n"
    "  fzcheck outline [--rules 规则包] 报告...\n"
    "  fzcheck text [--normalized] 报告...\n"
    "  fzcheck rules check|list|test [规则包]\n"
    "  fzcheck serve [--listen 地址:端口] [--rules 规则包] [--units 单位名单] [--token 口令] [--workers N]\n"
    "  fzcheck --help | --version\n"
    "\n"
    "检查法治政府建设年度报告是否具备规定的内容，给出得分、等级、证据和整改建议。\n"
    "\n"
    "命令：\n"
    "  check      检查报告（可给多个文件或目录，目录会递归查找 .docx、.docm、.pdf、.ofd、.txt、.md 报告）\n"
    "  merge      合并各台机器用 check --jsonl 写出的分片，得出与一次检查全部报告相同的排名、JSON 和评分表\n"
    "  outline    显示程序识别出的标题、单位、年度和章节结构（调试规则时使用）\n"
    "  text       显示程序从文件中读出的文字，行号与检查结果中证据的行号一致\n"
    "             （--normalized：显示规范化、合并断行之后用于匹配的段落）\n"
    "  rules check  校验规则包（格式、正则表达式、角色和范围、等级）并说明其内容\n"
    "  rules list   列出规则包中的规则\n"
    "  rules test   运行规则包自带的规则测试（tests）\n"
    "  serve      在内网提供自查网页服务：上传报告即得检查结果页、带批注的 Word 文件和评分表\n"
    "             （POST /check 网页，POST /api/check 返回 JSON，GET /healthz，GET /rules）；\n"
    "             上传的文件和结果只在临时目录中短暂保留，停止时全部删除\n"
    "\n"
    "选项：\n"
    "  --rules 路径     规则包（一个 .yaml 文件或一个目录），默认使用随程序提供的规则包\n"
    "  --units 文件     单位名单（CSV：单位名称,类型,别名；或 YAML）：按名单认定报告单位及其类型，\n"
    "                   并列出未提交报告的单位、未匹配的报告和重复提交的单位\n"
    "  --previous 路径  本单位上一年度的报告（文件或目录，可写多次）：与之对照，检查是否照搬上年文字、\n"
    "                   上年的工作安排是否有交代\n"
    "  --similar        找出本批中内容雷同的报告（多数报告共有的套话不计），列在排名之后和 JSON 的 similar 中\n"
    "  --json 文件      另外把结果写成 JSON（- 表示输出到标准输出，此时不输出文字报告）\n"
    "  --jsonl 文件     另外写出分片：每检查完一份报告写一行 JSON（- 表示标准输出），供 fzcheck merge 合并\n"
    "  --xlsx 文件      另外写出 Excel 评分表（文件名须以 .xlsx 结尾）\n"
    "  --html 文件夹    另外在该文件夹中为每份报告写一个 HTML 页面（可用浏览器打开、打印），\n"
    "                   并写出排名页 index.html\n"
    "  --annotate 文件夹  另外在该文件夹中为每份报告写一份带批注的 Word 文件（原文件名.批注.docx）：\n"
    "                   .docx 报告是原文件的副本，其他格式是提取的文字；原文件不会被改动\n"
    "  --jobs N         同时检查的报告数（工作进程数），默认为处理器核数\n"
    "  --timeout 秒     每份报告的处理时限，默认 60 秒；超时的报告记为错误并跳过，其余照常（0 为不限）\n"
    "  --memory MB      每份报告可用的内存上限，默认 2048 MB（0 为不限）\n"
    "  --verbose        检查多份报告且输出到终端时，也逐份列出结果（默认只列排名和合计）\n"
    "  --quiet          不输出文字结果和进度，只写结果文件、给出退出码\n"
    "  --name 文件名    从标准输入（-）读报告时显示的文件名，其扩展名也说明文件格式\n"
    ;

/* Split in two: ISO C asks compilers for string literals of 4095 bytes. */
static const char usage_serve[] =
    "\n"
    "serve 的选项（另可用 --rules、--units、--timeout、--memory）：\n"
    "  --listen 地址:端口  监听的地址，默认 127.0.0.1:8080（仅本机）；0.0.0.0:8080 为所有网卡，端口 0 为任选\n"
    "  --token 口令     需要访问口令：请求头 Authorization: Bearer 口令，或浏览器登录（用户名任意，密码为口令）；\n"
    "                   /healthz 不需要。也可用环境变量 FZCHECK_TOKEN 给出（不显示在进程列表中）\n"
    "  --workers N      同时进行的检查数，默认为处理器核数\n"
    "  --queue N        另外可排队等候的请求数，默认为 workers 的两倍；再多的请求得到 503 和 Retry-After\n"
    "  --keep 秒        检查结果（网页和下载文件）保留的时间，默认 600 秒，之后连同上传的报告一并删除\n"
    "  --request-timeout 秒  一次请求的检查时限，默认 600 秒（0 为不限）；超时停止检查\n"
    "  --header-timeout 秒   客户端发送请求头的时限，默认 10 秒；过慢的连接被断开\n"
    "  --max-files N    一次请求最多检查的报告数（含压缩包中的文件），默认 200\n"
    "  --max-request-mb MB  一次请求的大小上限（也是压缩包解压后的总大小上限），默认 200\n"
    "  --connections N  同时连接数上限，默认 512\n"
    "  --per-ip N       同一地址的同时连接数上限，默认 64\n"
    "\n"
    "  --help           显示本帮助\n"
    "  --version        显示版本\n"
    "\n"
    "输出文件不能与任何一份报告是同一个文件，--json 与 --xlsx 也不能是同一个文件；\n"
    "所有结果文件都写完后才一起替换旧文件，中途中断时旧文件保持原样。\n"
    "\n"
    "退出码：0 所有报告均具备全部必备要素；1 有报告缺少必备要素或无法读取；\n"
    "        2 用法错误、规则包有误或结果文件无法写入。\n"
    "环境变量：NO_COLOR 设置后不使用颜色；FZCHECK_MAX_MB 单个文件的大小上限（默认 50）；\n"
    "          FZCHECK_TOKEN serve 的访问口令（同 --token）。\n";

int main(int argc, char **argv) {
    fz_atomic_install_signals();
    if (argc < 2) {
        fputs(usage_text, stderr);
        fputs(usage_serve, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        fputs(usage_serve, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("fzcheck %s\n", FZ_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "rules")) return fz_cmd_rules(argc, argv);
    if (!strcmp(cmd, "serve")) return fz_cmd_serve(argc, argv);
    if (strcmp(cmd, "check") && strcmp(cmd, "merge") && strcmp(cmd, "outline") && strcmp(cmd, "text"))
        return fz_cli_usage("未知命令“%s”（可用：check、merge、outline、text、rules、serve）", cmd);
    fz_cli_opts o;
    int rc = fz_cli_parse(argc, argv, 2, &o);
    if (rc == 0 && o.normalized && strcmp(cmd, "text"))
        rc = fz_cli_usage("选项 --normalized 只用于 text 命令%s", "");
    if (rc == 0 && o.similar && strcmp(cmd, "check"))
        rc = fz_cli_usage("选项 --similar 只用于 check 命令%s", "");
    if (rc == 0 && o.nprevious && strcmp(cmd, "check"))
        rc = fz_cli_usage("选项 --previous 只用于 check 命令%s", "");
    if (rc == 0) {
        if (!strcmp(cmd, "check")) rc = fz_cmd_check(&o);
        else if (!strcmp(cmd, "merge")) rc = fz_cmd_merge(&o);
        else if (!strcmp(cmd, "outline")) rc = fz_cmd_outline(&o);
        else rc = fz_cmd_text(&o);
    } else if (rc < 0) {
        fz_cli_say(FZ_ENOMEM);
        rc = 2;
    }
    free(o.paths);
    free(o.previous);
    return rc;
}
