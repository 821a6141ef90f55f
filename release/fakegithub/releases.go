package fakegithub

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (c *call) owner() string { return c.params[0] }
func (c *call) name() string  { return c.params[1] }

func (c *call) id(i int) (int64, bool) {
	n, err := strconv.ParseInt(c.params[i], 10, 64)
	if err != nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return 0, false
	}
	return n, true
}

func (f *Fake) releaseJSON(c *call, r *release) map[string]any {
	repoAPI := fmt.Sprintf("%s/repos/%s/%s", c.api, c.owner(), c.name())
	html := fmt.Sprintf("%s/%s/%s/releases/tag/%s", c.base, c.owner(), c.name(), url.PathEscape(r.tag))
	if r.draft {
		html = fmt.Sprintf("%s/%s/%s/releases/tag/%s", c.base, c.owner(), c.name(), r.untagged)
	}
	var published any
	if !r.draft {
		published = r.published.UTC().Format(time.RFC3339)
	}
	assets := []any{}
	for _, a := range r.assets {
		assets = append(assets, f.assetJSON(c, r, a))
	}
	return map[string]any{
		"id":               r.id,
		"node_id":          fmt.Sprintf("RE_%d", r.id),
		"tag_name":         r.tag,
		"target_commitish": r.target,
		"name":             r.name,
		"body":             r.body,
		"draft":            r.draft,
		"prerelease":       r.prerelease,
		"created_at":       r.created.UTC().Format(time.RFC3339),
		"published_at":     published,
		"url":              fmt.Sprintf("%s/releases/%d", repoAPI, r.id),
		"html_url":         html,
		"assets_url":       fmt.Sprintf("%s/releases/%d/assets", repoAPI, r.id),
		"upload_url":       fmt.Sprintf("%s/api/uploads/repos/%s/%s/releases/%d/assets{?name,label}", c.base, c.owner(), c.name(), r.id),
		"tarball_url":      fmt.Sprintf("%s/tarball/%s", repoAPI, r.tag),
		"zipball_url":      fmt.Sprintf("%s/zipball/%s", repoAPI, r.tag),
		"author":           map[string]any{"login": "github-actions[bot]", "type": "Bot"},
		"assets":           assets,
	}
}

func (f *Fake) assetJSON(c *call, r *release, a *asset) map[string]any {
	return map[string]any{
		"id":                   a.id,
		"node_id":              fmt.Sprintf("RA_%d", a.id),
		"name":                 a.name,
		"label":                a.label,
		"state":                a.state,
		"content_type":         a.contentType,
		"size":                 len(a.content),
		"download_count":       a.downloads,
		"created_at":           a.created.UTC().Format(time.RFC3339),
		"updated_at":           a.created.UTC().Format(time.RFC3339),
		"url":                  fmt.Sprintf("%s/repos/%s/%s/releases/assets/%d", c.api, c.owner(), c.name(), a.id),
		"browser_download_url": fmt.Sprintf("%s/%s/%s/releases/download/%s/%s", c.base, c.owner(), c.name(), url.PathEscape(r.tag), url.PathEscape(a.name)),
		"uploader":             map[string]any{"login": "github-actions[bot]", "type": "Bot"},
	}
}

// visible says whether a caller may see a release: drafts need push access.
func visible(c *call, r *release) bool { return !r.draft || c.access == accessWrite }

func (rs *repoState) release(id int64) *release {
	for _, r := range rs.releases {
		if r.id == id {
			return r
		}
	}
	return nil
}

// findAsset returns the asset and its release.
func (rs *repoState) findAsset(id int64) (*release, *asset) {
	for _, r := range rs.releases {
		for _, a := range r.assets {
			if a.id == id {
				return r, a
			}
		}
	}
	return nil, nil
}

// publishedWithTag is the published release holding tag, other than except.
func (rs *repoState) publishedWithTag(tag string, except int64) *release {
	for _, r := range rs.releases {
		if r.tag == tag && !r.draft && r.id != except {
			return r
		}
	}
	return nil
}

func (f *Fake) listReleases(c *call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.repo(c.owner(), c.name())
	var out []any
	// Newest first, as GitHub lists them.
	for i := len(rs.releases) - 1; i >= 0; i-- {
		if r := rs.releases[i]; visible(c, r) {
			out = append(out, f.releaseJSON(c, r))
		}
	}
	writeJSON(c.w, http.StatusOK, paginate(c, out))
}

type releaseRequest struct {
	TagName              *string `json:"tag_name"`
	TargetCommitish      *string `json:"target_commitish"`
	Name                 *string `json:"name"`
	Body                 *string `json:"body"`
	Draft                *bool   `json:"draft"`
	Prerelease           *bool   `json:"prerelease"`
	MakeLatest           *string `json:"make_latest"`
	GenerateReleaseNotes *bool   `json:"generate_release_notes"`
}

func (f *Fake) createRelease(c *call) {
	var req releaseRequest
	if !readJSON(c, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.repo(c.owner(), c.name())
	if req.TagName == nil || *req.TagName == "" {
		writeValidation(c.w, "Release", "missing_field", "tag_name", "")
		return
	}
	if rs.publishedWithTag(*req.TagName, 0) != nil {
		writeValidation(c.w, "Release", "already_exists", "tag_name", "")
		return
	}
	if req.MakeLatest != nil && !validMakeLatest(*req.MakeLatest) {
		writeValidation(c.w, "Release", "invalid", "make_latest", "")
		return
	}
	now := f.opts.Now()
	r := &release{
		id:       f.newID(),
		tag:      *req.TagName,
		target:   "main",
		created:  now,
		untagged: "untagged-" + randomHex(10),
	}
	r.apply(req)
	if !r.draft {
		r.published = now
		rs.maybeLatest(r, req.MakeLatest)
	}
	rs.releases = append(rs.releases, r)
	writeJSON(c.w, http.StatusCreated, f.releaseJSON(c, r))
}

func validMakeLatest(s string) bool { return s == "true" || s == "false" || s == "legacy" }

func (r *release) apply(req releaseRequest) {
	if req.TargetCommitish != nil && *req.TargetCommitish != "" {
		r.target = *req.TargetCommitish
	}
	if req.Name != nil {
		r.name = *req.Name
	}
	if req.Body != nil {
		r.body = *req.Body
	}
	if req.Draft != nil {
		r.draft = *req.Draft
	}
	if req.Prerelease != nil {
		r.prerelease = *req.Prerelease
	}
	if req.MakeLatest != nil {
		r.makeLatestRequested = *req.MakeLatest
	}
	if req.GenerateReleaseNotes != nil {
		r.generateReleaseNotes = *req.GenerateReleaseNotes
	}
}

// maybeLatest marks a just-published (or edited) release latest unless it is
// a prerelease or make_latest is "false".
func (rs *repoState) maybeLatest(r *release, makeLatest *string) {
	if r.draft || r.prerelease {
		return
	}
	if makeLatest != nil && *makeLatest == "false" {
		return
	}
	rs.latestID = r.id
}

func (f *Fake) getReleaseByTag(c *call) {
	tag, err := url.PathUnescape(c.params[2])
	if err != nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	// Never a draft, whoever asks: the documented trap.
	if r := f.repo(c.owner(), c.name()).publishedWithTag(tag, 0); r != nil {
		writeJSON(c.w, http.StatusOK, f.releaseJSON(c, r))
		return
	}
	writeError(c.w, http.StatusNotFound, "Not Found")
}

func (f *Fake) getLatestRelease(c *call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.repo(c.owner(), c.name()).latest(); r != nil {
		writeJSON(c.w, http.StatusOK, f.releaseJSON(c, r))
		return
	}
	writeError(c.w, http.StatusNotFound, "Not Found")
}

// latest is the release marked latest, else the newest published
// non-prerelease.
func (rs *repoState) latest() *release {
	if r := rs.release(rs.latestID); r != nil && !r.draft && !r.prerelease {
		return r
	}
	var best *release
	for _, r := range rs.releases {
		if !r.draft && !r.prerelease && (best == nil || r.created.After(best.created) || (r.created.Equal(best.created) && r.id > best.id)) {
			best = r
		}
	}
	return best
}

func (f *Fake) getRelease(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if r := f.repo(c.owner(), c.name()).release(id); r != nil && visible(c, r) {
		writeJSON(c.w, http.StatusOK, f.releaseJSON(c, r))
		return
	}
	writeError(c.w, http.StatusNotFound, "Not Found")
}

func (f *Fake) editRelease(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	var req releaseRequest
	if !readJSON(c, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.repo(c.owner(), c.name())
	r := rs.release(id)
	if r == nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	if req.MakeLatest != nil && !validMakeLatest(*req.MakeLatest) {
		writeValidation(c.w, "Release", "invalid", "make_latest", "")
		return
	}
	tag := r.tag
	if req.TagName != nil && *req.TagName != "" {
		tag = *req.TagName
	}
	willBeDraft := r.draft
	if req.Draft != nil {
		willBeDraft = *req.Draft
	}
	if !willBeDraft && rs.publishedWithTag(tag, r.id) != nil {
		writeValidation(c.w, "Release", "already_exists", "tag_name", "")
		return
	}
	wasDraft := r.draft
	r.tag = tag
	r.apply(req)
	if wasDraft && !r.draft {
		r.published = f.opts.Now()
	}
	if !r.draft && (wasDraft || req.MakeLatest != nil) {
		rs.maybeLatest(r, req.MakeLatest)
	}
	if rs.latestID == r.id && r.prerelease {
		rs.latestID = 0
	}
	writeJSON(c.w, http.StatusOK, f.releaseJSON(c, r))
}

func (f *Fake) deleteRelease(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rs := f.repo(c.owner(), c.name())
	i := slices.IndexFunc(rs.releases, func(r *release) bool { return r.id == id })
	if i < 0 {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	rs.releases = slices.Delete(rs.releases, i, i+1)
	c.w.WriteHeader(http.StatusNoContent)
}

func (f *Fake) listAssets(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repo(c.owner(), c.name()).release(id)
	if r == nil || !visible(c, r) {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	var out []any
	for _, a := range r.assets {
		out = append(out, f.assetJSON(c, r, a))
	}
	writeJSON(c.w, http.StatusOK, paginate(c, out))
}

// assetName is GitHub's renaming of uploaded file names, approximately:
// anything but letters, digits and ._-+@ becomes a dot.
func assetName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._-+@", r):
			return r
		}
		return '.'
	}, name)
}

func (f *Fake) uploadAsset(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	q := c.r.URL.Query()
	name := assetName(q.Get("name"))
	if name == "" {
		writeValidation(c.w, "ReleaseAsset", "missing_field", "name", "")
		return
	}
	if c.r.ContentLength < 0 {
		writeError(c.w, http.StatusLengthRequired, "Content-Length required")
		return
	}
	if c.r.ContentLength >= f.opts.MaxAssetSize {
		writeValidation(c.w, "ReleaseAsset", "custom", "size", fmt.Sprintf("size must be less than or equal to %d", f.opts.MaxAssetSize))
		return
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, c.r.ContentLength+1))
	if err != nil || int64(len(body)) != c.r.ContentLength {
		writeError(c.w, http.StatusBadRequest, "Bad Content-Length")
		return
	}
	sum := sha256.Sum256(body)

	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repo(c.owner(), c.name()).release(id)
	if r == nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	for _, a := range r.assets {
		if a.name == name {
			writeValidation(c.w, "ReleaseAsset", "already_exists", "name", "")
			return
		}
	}
	ct := c.r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/octet-stream"
	}
	a := &asset{
		id:          f.newID(),
		name:        name,
		label:       q.Get("label"),
		state:       "uploaded",
		contentType: ct,
		content:     body,
		sha256:      hex.EncodeToString(sum[:]),
		sig:         randomHex(8),
		created:     f.opts.Now(),
		releaseID:   r.id,
	}
	r.assets = append(r.assets, a)
	f.counts.Uploads++
	writeJSON(c.w, http.StatusCreated, f.assetJSON(c, r, a))
}

// uploadTarget is the release and asset name an upload request names, or nil
// when either is missing. The caller holds f.mu.
func (f *Fake) uploadTarget(c *call) (*release, string) {
	id, err := strconv.ParseInt(c.params[2], 10, 64)
	if err != nil {
		return nil, ""
	}
	name := assetName(c.r.URL.Query().Get("name"))
	r := f.repo(c.owner(), c.name()).release(id)
	if r == nil || name == "" {
		return nil, ""
	}
	return r, name
}

// leaveStarter records a half-finished upload, as GitHub leaves one behind
// when a connection breaks mid-upload.
func (f *Fake) leaveStarter(c *call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, name := f.uploadTarget(c)
	if r == nil {
		return
	}
	for _, a := range r.assets {
		if a.name == name {
			return
		}
	}
	r.assets = append(r.assets, &asset{id: f.newID(), name: name, state: "starter", contentType: "application/octet-stream", created: f.opts.Now(), releaseID: r.id, sig: randomHex(8)})
}

// raceDuplicate stores a same-name asset as if another client had uploaded
// it a moment before this request.
func (f *Fake) raceDuplicate(c *call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, name := f.uploadTarget(c)
	if r == nil {
		return
	}
	content := []byte("uploaded by a concurrent run\n")
	sum := sha256.Sum256(content)
	r.assets = append(r.assets, &asset{id: f.newID(), name: name, state: "uploaded", contentType: "text/plain", content: content, sha256: hex.EncodeToString(sum[:]), created: f.opts.Now(), releaseID: r.id, sig: randomHex(8)})
}

func (f *Fake) getAsset(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	r, a := f.repo(c.owner(), c.name()).findAsset(id)
	if a == nil || !visible(c, r) {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	if c.r.Header.Get("Accept") == "application/octet-stream" {
		// GitHub answers with a redirect to a signed storage URL that
		// needs no token.
		http.Redirect(c.w, c.r, fmt.Sprintf("%s/_fake/storage/%d/%s?sig=%s", c.base, a.id, url.PathEscape(a.name), a.sig), http.StatusFound)
		return
	}
	writeJSON(c.w, http.StatusOK, f.assetJSON(c, r, a))
}

func (f *Fake) storage(c *call) {
	id, err := strconv.ParseInt(c.params[0], 10, 64)
	if err != nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	f.mu.Lock()
	var found *asset
	for _, rs := range f.repos {
		if _, a := rs.findAsset(id); a != nil {
			found = a
		}
	}
	if found == nil || c.r.URL.Query().Get("sig") != found.sig {
		f.mu.Unlock()
		// The storage host's answer to a bad signature.
		c.w.WriteHeader(http.StatusForbidden)
		io.WriteString(c.w, "<Error><Code>AuthenticationFailed</Code></Error>")
		return
	}
	found.downloads++
	f.counts.Downloads++
	content := found.content
	f.mu.Unlock()
	c.w.Header().Set("Content-Type", "application/octet-stream")
	c.w.Header().Set("Content-Length", strconv.Itoa(len(content)))
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(content)
}

// browserDownload serves browser_download_url for published releases, so a
// workflow can curl an asset as users would.
func (f *Fake) browserDownload(c *call) {
	tag, _ := url.PathUnescape(c.params[2])
	name, _ := url.PathUnescape(c.params[3])
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.repo(c.params[0], c.params[1]).publishedWithTag(tag, 0)
	if r != nil {
		for _, a := range r.assets {
			if a.name == name && a.state == "uploaded" {
				http.Redirect(c.w, c.r, fmt.Sprintf("%s/_fake/storage/%d/%s?sig=%s", c.base, a.id, url.PathEscape(a.name), a.sig), http.StatusFound)
				return
			}
		}
	}
	writeError(c.w, http.StatusNotFound, "Not Found")
}

func (f *Fake) editAsset(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	var req struct {
		Name  *string `json:"name"`
		Label *string `json:"label"`
	}
	if !readJSON(c, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	r, a := f.repo(c.owner(), c.name()).findAsset(id)
	if a == nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	if req.Name != nil {
		n := assetName(*req.Name)
		for _, o := range r.assets {
			if o != a && o.name == n {
				writeValidation(c.w, "ReleaseAsset", "already_exists", "name", "")
				return
			}
		}
		a.name = n
	}
	if req.Label != nil {
		a.label = *req.Label
	}
	writeJSON(c.w, http.StatusOK, f.assetJSON(c, r, a))
}

func (f *Fake) deleteAsset(c *call) {
	id, ok := c.id(2)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	r, a := f.repo(c.owner(), c.name()).findAsset(id)
	if a == nil {
		writeError(c.w, http.StatusNotFound, "Not Found")
		return
	}
	r.assets = slices.DeleteFunc(r.assets, func(x *asset) bool { return x == a })
	f.counts.AssetDeletes++
	c.w.WriteHeader(http.StatusNoContent)
}

// paginate cuts items to the requested page and sets GitHub's Link header
// (absolute URLs, rel next/last/first/prev). per_page defaults to 30 and is
// capped at 100, as on GitHub.
func paginate(c *call, items []any) []any {
	q := c.r.URL.Query()
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page <= 0 {
		page = 1
	}
	last := max(1, (len(items)+per-1)/per)
	link := func(p int, rel string) string {
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(per))
		return fmt.Sprintf("<%s%s?%s>; rel=%q", c.base, c.r.URL.Path, q.Encode(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo := min((page-1)*per, len(items))
	hi := min(lo+per, len(items))
	out := items[lo:hi]
	if out == nil {
		out = []any{}
	}
	return out
}
