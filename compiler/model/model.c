/* model.c: the model's own tables (model.h): the fields a source may leave open ('?') for a
 * hook's fill function, by the name the hook views give them and the words messages use. */
#include "model.h"

static const struct {
    open_field field;
    const char *key, *words;
} open_fields[] = {
    {OPEN_TARGET_VALUE, "target_value", "target value"},
    {OPEN_SCALE_IN_COOLDOWN, "scale_in_cooldown", "scale-in cooldown"},
    {OPEN_SCALE_OUT_COOLDOWN, "scale_out_cooldown", "scale-out cooldown"},
};

open_field open_field_at(size_t i) {
    return i < sizeof open_fields / sizeof open_fields[0] ? open_fields[i].field : 0;
}

const char *open_field_key(open_field f) {
    for (size_t i = 0; i < sizeof open_fields / sizeof open_fields[0]; i++)
        if (open_fields[i].field == f)
            return open_fields[i].key;
    return "";
}

const char *open_field_words(open_field f) {
    for (size_t i = 0; i < sizeof open_fields / sizeof open_fields[0]; i++)
        if (open_fields[i].field == f)
            return open_fields[i].words;
    return "";
}
