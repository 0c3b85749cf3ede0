/* floor_json.c: a benchmark floor for `mmec import`: cJSON parsing each line of a JSON Lines
 * file (the PutScalingPolicy requests the import reads) and deleting the tree, nothing else:
 * no recognition of the documents, no source written, no checking compile. Prints the number
 * of documents parsed. Usage: floor_json FILE */
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: floor_json FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long docs = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        cJSON *doc = cJSON_ParseWithLength(line, (size_t)n);
        if (doc == NULL) {
            fprintf(stderr, "%s: document %ld is not JSON\n", argv[1], docs + 1);
            return 1;
        }
        docs++;
        cJSON_Delete(doc);
    }
    free(line);
    fclose(f);
    printf("%ld\n", docs);
    return 0;
}
