// verify.go checks a Placard server's public log the way anyone can, with nothing but the
// Go checksum database's packages (golang.org/x/mod/sumdb/note and tlog) and the published
// formats: C2SP signed-note, tlog-checkpoint and tlog-tiles. It shares no code with Placard.
//
//	verify -url http://HOST:PORT [-vkey VKEY] [-witness VKEY] [-old FILE] [-save FILE]
//
// It fetches GET /checkpoint and checks its signature with the verifier key (-vkey, or the
// one GET /api/v1/log/key publishes); reads the tree's tiles under /tile/ (every tile is
// authenticated against the checkpoint's root by tlog.TileHashReader); pages through
// GET /api/v1/log and checks every entry's link to the one before and its inclusion in the
// tree (leaf data: the 32 bytes of the entry's chain hash, leaf index seq - 1); compares the
// entry bundles under /tile/entries/; checks the server's own inclusion proofs; and, given a
// checkpoint kept earlier (-old), that the log has only been added to since (tlog.ProveTree,
// tlog.CheckTree, and the server's consistency proof). -save writes the checkpoint fetched.
// -witness: the checkpoint must also carry a cosignature of that witness key, checked as C2SP
// tlog-cosignature defines it (cosignature/v1, key type 0x04) through note.Open with a
// note.Verifier written here from the specification.
//
// Exit status 0 when everything holds; 1, with the first thing that does not, otherwise.
//
// Build offline with Debian's packages (golang-go, golang-golang-x-mod-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o verify tests/tlog/verify.go
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var base string

func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func get(path string) ([]byte, int) {
	resp, err := http.Get(base + path)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	return body, resp.StatusCode
}

func getOK(path string) []byte {
	body, status := get(path)
	if status != 200 {
		fail("GET %s: status %d: %s", path, status, body)
	}
	return body
}

// checkpoint is a tlog-checkpoint body: origin, tree size, root hash.
type checkpoint struct {
	origin string
	tree   tlog.Tree
}

func openCheckpoint(what string, text []byte, v note.Verifier) checkpoint {
	n, err := note.Open(text, note.VerifierList(v))
	if err != nil {
		fail("%s: signature not verified: %v", what, err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 {
		fail("%s: not a checkpoint", what)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		fail("%s: bad tree size %q", what, lines[1])
	}
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		fail("%s: bad root hash %q", what, lines[2])
	}
	var root tlog.Hash
	copy(root[:], h)
	return checkpoint{lines[0], tlog.Tree{N: size, Hash: root}}
}

// cosigVerifier checks C2SP tlog-cosignature (cosignature/v1) signatures: a key hash, then
// an 8-byte big-endian timestamp and an Ed25519 signature of
// "cosignature/v1\ntime <timestamp>\n" followed by the checkpoint body.
type cosigVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
}

func (v cosigVerifier) Name() string    { return v.name }
func (v cosigVerifier) KeyHash() uint32 { return v.hash }
func (v cosigVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	m := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), msg...)
	return ed25519.Verify(v.key, m, sig[8:])
}

func newCosigVerifier(vkey string) cosigVerifier {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		fail("the witness key %q is not NAME+HASH+KEY", vkey)
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 0x04 {
		fail("the witness key %q is not a cosignature/v1 key", vkey)
	}
	h := sha256.Sum256(append([]byte(parts[0]+"\n"), raw...))
	hash, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil || len(parts[1]) != 8 || uint32(hash) != binary.BigEndian.Uint32(h[:4]) {
		fail("the witness key %q: its key hash does not match", vkey)
	}
	return cosigVerifier{parts[0], uint32(hash), ed25519.PublicKey(raw[1:])}
}

// tileReader reads tlog-tiles over HTTP. Go's tlog names tiles tile/H/L/N; C2SP's paths
// have no height: tile/L/N.
type tileReader struct{ cache map[string][]byte }

func (r *tileReader) Height() int { return 8 }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		path := "/tile/" + strings.TrimPrefix(t.Path(), "tile/8/")
		if d, ok := r.cache[path]; ok {
			out[i] = d
			continue
		}
		body, status := get(path)
		if status != 200 {
			return nil, fmt.Errorf("GET %s: status %d", path, status)
		}
		r.cache[path] = body
		out[i] = body
	}
	return out, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func decodeProof(what string, list []string) []tlog.Hash {
	var p []tlog.Hash
	for _, s := range list {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(b) != tlog.HashSize {
			fail("%s: bad hash %q", what, s)
		}
		var h tlog.Hash
		copy(h[:], b)
		p = append(p, h)
	}
	return p
}

type entry struct {
	Seq      int64  `json:"seq"`
	PrevHash string `json:"prev_hash"`
	Hash     string `json:"hash"`
}

func main() {
	flag.StringVar(&base, "url", "", "the server, http://HOST:PORT")
	vkey := flag.String("vkey", "", "the log's verifier key (default: GET /api/v1/log/key)")
	oldFile := flag.String("old", "", "a checkpoint kept earlier")
	saveFile := flag.String("save", "", "write the checkpoint fetched here")
	witness := flag.String("witness", "", "a witness's cosignature key the checkpoint must carry")
	flag.Parse()
	if base == "" {
		fail("-url is needed")
	}
	origin := ""
	if *vkey == "" {
		var k struct{ Origin, Vkey string }
		if err := json.Unmarshal(getOK("/api/v1/log/key"), &k); err != nil {
			fail("GET /api/v1/log/key: %v", err)
		}
		*vkey, origin = k.Vkey, k.Origin
	}
	v, err := note.NewVerifier(*vkey)
	if err != nil {
		fail("the verifier key %q: %v", *vkey, err)
	}

	text := getOK("/checkpoint")
	cp := openCheckpoint("GET /checkpoint", text, v)
	if *witness != "" {
		wv := newCosigVerifier(*witness)
		n, err := note.Open(text, note.VerifierList(v, wv))
		if err != nil {
			fail("GET /checkpoint: %v", err)
		}
		cosigned := false
		for _, sig := range n.Sigs {
			cosigned = cosigned || (sig.Name == wv.name && sig.Hash == wv.hash)
		}
		if !cosigned {
			fail("GET /checkpoint carries no cosignature of witness %s", wv.name)
		}
		fmt.Printf("cosigned by witness %s\n", wv.name)
	}
	if origin != "" && cp.origin != origin {
		fail("the checkpoint's origin %q is not the log's %q", cp.origin, origin)
	}
	tree := cp.tree
	tr := &tileReader{cache: map[string][]byte{}}
	hr := tlog.TileHashReader(tree, tr)
	if tree.N > 0 {
		root, err := tlog.TreeHash(tree.N, hr)
		if err != nil {
			fail("the tree of %d entries from its tiles: %v", tree.N, err)
		}
		if root != tree.Hash {
			fail("the tiles give the root %v, the checkpoint %v", root, tree.Hash)
		}
	}

	// Every entry: its link, and its inclusion in the tree (leaf index seq - 1).
	leaves := make([][]byte, 0, tree.N)
	prev := strings.Repeat("0", 64)
	for int64(len(leaves)) < tree.N {
		var page struct{ Entries []entry }
		body := getOK(fmt.Sprintf("/api/v1/log?after=%d&limit=1000", len(leaves)))
		if err := json.Unmarshal(body, &page); err != nil {
			fail("GET /api/v1/log: %v", err)
		}
		if len(page.Entries) == 0 {
			fail("the log ends at entry %d; the checkpoint has %d", len(leaves), tree.N)
		}
		for _, e := range page.Entries {
			i := int64(len(leaves))
			if i == tree.N {
				break
			}
			if e.Seq != i+1 {
				fail("entry %d follows entry %d", e.Seq, i)
			}
			if e.PrevHash != prev {
				fail("entry %d does not link to entry %d", e.Seq, i)
			}
			data, err := hex.DecodeString(e.Hash)
			if err != nil || len(data) != 32 {
				fail("entry %d: bad hash %q", e.Seq, e.Hash)
			}
			p, err := tlog.ProveRecord(tree.N, i, hr)
			if err != nil {
				fail("entry %d: no inclusion proof: %v", e.Seq, err)
			}
			if err := tlog.CheckRecord(p, tree.N, tree.Hash, i, tlog.RecordHash(data)); err != nil {
				fail("entry %d is not in the tree the checkpoint signs: %v", e.Seq, err)
			}
			leaves = append(leaves, data)
			prev = e.Hash
		}
	}

	// The entry bundles hold the same leaf data.
	for start := int64(0); start < tree.N; start += 256 {
		w := tree.N - start
		if w > 256 {
			w = 256
		}
		t := tlog.Tile{H: 8, L: 0, N: start / 256, W: int(w)}
		path := "/tile/entries/" + strings.TrimPrefix(t.Path(), "tile/8/0/")
		body := getOK(path)
		var want []byte
		for _, d := range leaves[start : start+w] {
			want = append(want, byte(len(d)>>8), byte(len(d)))
			want = append(want, d...)
		}
		if !bytes.Equal(body, want) {
			fail("%s is not the entries' leaf data", path)
		}
	}

	// The server's own inclusion proofs hold.
	for _, i := range []int64{0, tree.N / 2, tree.N - 1} {
		if tree.N == 0 {
			break
		}
		var pr struct{ Proof []string }
		body := getOK(fmt.Sprintf("/api/v1/log/proof/inclusion?index=%d&size=%d", i, tree.N))
		if err := json.Unmarshal(body, &pr); err != nil {
			fail("inclusion proof: %v", err)
		}
		p := decodeProof("inclusion proof", pr.Proof)
		if err := tlog.CheckRecord(p, tree.N, tree.Hash, i, tlog.RecordHash(leaves[i])); err != nil {
			fail("the server's inclusion proof of leaf %d does not hold: %v", i, err)
		}
	}

	if *oldFile != "" {
		oldText, err := os.ReadFile(*oldFile)
		if err != nil {
			fail("%v", err)
		}
		old := openCheckpoint(*oldFile, oldText, v).tree
		if old.N > tree.N {
			fail("the log shrank: the kept checkpoint has %d entries, the server's %d", old.N, tree.N)
		}
		if old.N > 0 {
			p, err := tlog.ProveTree(tree.N, old.N, hr)
			if err != nil {
				fail("no consistency proof from %d to %d: %v", old.N, tree.N, err)
			}
			if err := tlog.CheckTree(p, tree.N, tree.Hash, old.N, old.Hash); err != nil {
				fail("the kept checkpoint (%d entries) is not a prefix of the log (%d): %v", old.N, tree.N, err)
			}
			var pr struct{ Proof []string }
			body := getOK(fmt.Sprintf("/api/v1/log/proof/consistency?old=%d&size=%d", old.N, tree.N))
			if err := json.Unmarshal(body, &pr); err != nil {
				fail("consistency proof: %v", err)
			}
			if err := tlog.CheckTree(decodeProof("consistency proof", pr.Proof), tree.N, tree.Hash, old.N, old.Hash); err != nil {
				fail("the server's consistency proof from %d to %d does not hold: %v", old.N, tree.N, err)
			}
		}
		fmt.Printf("ok: the log has only been added to since the kept checkpoint (%d entries)\n", old.N)
	}
	if *saveFile != "" {
		if err := os.WriteFile(*saveFile, text, 0o644); err != nil {
			fail("%v", err)
		}
	}
	fmt.Printf("ok: %s, %d entries, root %v, every entry included\n", cp.origin, tree.N, tree.Hash)
}
