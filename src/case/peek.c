/* Reading just the case id of a case file that may be invalid. */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "case/case.h"

/* Reading a broken file must print nothing: its errors are check's to report. */
static void silent_generic(void *ctx, const char *msg, ...)
{
    (void)ctx; (void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
    (void)ctx; (void)e;
}

bool ap_case_peek_id(const char *path, char *buf, size_t size)
{
    if (size)
        buf[0] = '\0';
    /* opened without blocking and read only when regular: a FIFO would
       block forever, /dev/zero never end */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat st;
    xmlTextReaderPtr r = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        r = xmlReaderForFd(fd, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!r) {
        close(fd);
        return false;
    }
    bool ok = false;
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetStructuredErrorFunc(NULL, silent_structured);
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
    xmlSetStructuredErrorFunc(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    xmlFreeTextReader(r);
    close(fd);
    return ok;
}
