/* libFuzzer: the .ofd reader's XML side. The input is cut at each line
 * "--" into up to four parts: Document.xml, the page, a template page and
 * PublicRes.xml (a part left out gets a fixed one), and packed into a
 * valid stored zip with OFD.xml: the document's parts, templates,
 * composite units and page objects get the mutations. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "read.h"
#include "zipwrite.h"

static const char ofd_xml[] =
    "<ofd:OFD xmlns:ofd=\"o\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
    "</ofd:DocBody></ofd:OFD>";
static const char *const defaults[] = {
    "<ofd:Document xmlns:ofd=\"o\"><ofd:CommonData><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
    "<ofd:TemplatePage ID=\"1\" BaseLoc=\"Tpls/T.xml\"/></ofd:CommonData><ofd:Pages>"
    "<ofd:Page ID=\"2\" BaseLoc=\"Pages/P.xml\"/></ofd:Pages></ofd:Document>",
    "<ofd:Page xmlns:ofd=\"o\"><ofd:Template TemplateID=\"1\"/><ofd:Content><ofd:Layer>"
    "<ofd:TextObject Boundary=\"0 10 100 5\"><ofd:TextCode Y=\"4\">正文</ofd:TextCode></ofd:TextObject>"
    "<ofd:CompositeObject ResourceID=\"7\" Boundary=\"0 40 10 10\"/></ofd:Layer></ofd:Content></ofd:Page>",
    "<ofd:Page xmlns:ofd=\"o\"><ofd:Content><ofd:Layer><ofd:TextObject Boundary=\"0 1 100 5\">"
    "<ofd:TextCode Y=\"4\">模板</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>",
    "<ofd:Res xmlns:ofd=\"o\"><ofd:CompositeGraphicUnits><ofd:CompositeGraphicUnit ID=\"7\">"
    "<ofd:Content><ofd:TextObject Boundary=\"0 50 100 5\"><ofd:TextCode Y=\"4\">单元</ofd:TextCode>"
    "</ofd:TextObject></ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits></ofd:Res>"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *part[4];
    size_t n[4];
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= size && k < 4; i++) {
        if (i == size || (i + 4 <= size && !memcmp(data + i, "\n--\n", 4))) {
            part[k] = data + start;
            n[k++] = i - start;
            start = i + 4;
            i += 3;
        }
    }
    for (; k < 4; k++) {
        part[k] = (const uint8_t *)defaults[k];
        n[k] = strlen(defaults[k]);
    }
    zw_entry e[] = {{"OFD.xml", (const uint8_t *)ofd_xml, sizeof ofd_xml - 1},
                    {"Doc_0/Document.xml", part[0], n[0]},
                    {"Doc_0/Pages/P.xml", part[1], n[1]},
                    {"Doc_0/Tpls/T.xml", part[2], n[2]},
                    {"Doc_0/PublicRes.xml", part[3], n[3]}};
    size_t len;
    unsigned char *zip = zw_build(e, 5, &len);
    if (!zip) return 0;
    fz_text t;
    char *err = NULL;
    if (fz_read_memory((const char *)zip, len, "x.ofd", &t, &err) == 0) fz_text_free(&t);
    free(err);
    free(zip);
    return 0;
}
