// tf_check.js: parses a .tf file with HashiCorp's HCL parser (@cdktf/hcl2json) and formats
// it with HashiCorp's formatter (@cdktf/hcl-tools). Usage: node tf_check.js FILE.tf PARSED.json
// Writes the parse to PARSED.json; exits 1 and prints a diff hint when `terraform fmt` would
// change the file.
const fs = require("fs");
const { parse } = require("@cdktf/hcl2json");
const { format } = require("@cdktf/hcl-tools");

(async () => {
    const [file, out] = process.argv.slice(2);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(out, JSON.stringify(await parse(file, text)));
    const formatted = await format(text);
    if (formatted !== text) {
        const a = text.split("\n"), b = formatted.split("\n");
        const i = a.findIndex((l, k) => l !== b[k]);
        console.log(`line ${i + 1}: written  ${JSON.stringify(a[i])}`);
        console.log(`line ${i + 1}: hcl fmt  ${JSON.stringify(b[i])}`);
        process.exit(1);
    }
})().catch((e) => { console.log(String(e)); process.exit(2); });
