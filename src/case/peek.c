/* Reading just the case id of a case file that may be invalid. */
#include <string.h>

#include <libxml/xmlreader.h>

#include "case/case.h"

bool ap_case_peek_id(const char *path, char *buf, size_t size)
{
    if (size)
        buf[0] = '\0';
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r)
        return false;
    bool ok = false;
    while (xmlTextReaderRead(r) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        xmlChar *id = xmlTextReaderGetAttribute(r, (const xmlChar *)"id");
        if (id) {
            size_t n = strlen((const char *)id);
            ok = n > 0 && n < size && n <= 64;
            for (size_t i = 0; ok && i < n; i++) {
                char ch = (char)id[i];
                ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                     ch == '-' || ch == '_' || ch == '.';
            }
            if (ok)
                memcpy(buf, id, n + 1);
            xmlFree(id);
        }
        break;
    }
    xmlFreeTextReader(r);
    return ok;
}
