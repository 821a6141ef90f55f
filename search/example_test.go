package search_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/tagdb/tagdb-action/internal/sqlitedb"
	"github.com/tagdb/tagdb-action/migrations"
	"github.com/tagdb/tagdb-action/search"
)

// exampleDB builds a small tag database (testdata/fixture.sql) in a temporary
// directory and returns its path and a function that removes it.
func exampleDB() (string, func()) {
	dir, err := os.MkdirTemp("", "search-example-")
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "tags.sqlite")
	ctx := context.Background()
	db, err := sqlitedb.Open(ctx, path, sqlitedb.ReadWrite)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if _, err := migrations.Apply(ctx, db, migrations.Options{}); err != nil {
		log.Fatal(err)
	}
	fixture, err := os.ReadFile(filepath.Join("testdata", "fixture.sql"))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, string(fixture)); err != nil {
		log.Fatal(err)
	}
	if err := search.CreateSubstringIndex(ctx, db); err != nil {
		log.Fatal(err)
	}
	return path, func() { os.RemoveAll(dir) }
}

func ExampleDB_Lookup() {
	path, cleanup := exampleDB()
	defer cleanup()
	ctx := context.Background()
	d, err := search.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	m, err := d.Lookup(ctx, "LongHair") // an alias, typed in any case
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s → %s (alias in %v)\n", m.Input.Tag, m.Tag.Tag, m.AliasIn)
	for _, s := range m.Tag.Formats {
		fmt.Printf("  %s: %s, %d uses\n", s.Format, s.Type, s.Count)
	}
	fmt.Println(" ", m.Tag.Translations)
	// Output:
	// longhair → long hair (alias in [danbooru e621])
	//   danbooru: general, 4350000 uses
	//   e621: general, 300000 uses
	//   [{ja ロングヘア} {zh 长发}]
}

func ExampleDB_Resolve() {
	path, cleanup := exampleDB()
	defer cleanup()
	ctx := context.Background()
	d, err := search.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	prompt := []string{"1girl", "Long_Hair", "nekomimi", "bow_(weapon)", "no such tag"}
	ms, err := d.Resolve(ctx, prompt)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range ms {
		if !m.Found() {
			fmt.Printf("%-13s not found\n", m.Query)
			continue
		}
		fmt.Printf("%-13s %s (by %s)\n", m.Query, m.Tag.Tag, m.By)
	}
	// Output:
	// 1girl         1girl (by tag)
	// Long_Hair     long hair (by tag)
	// nekomimi      cat ears (by tag)
	// bow_(weapon)  bow \(weapon\) (by tag)
	// no such tag   not found
}

func ExampleDB_ByTranslation() {
	path, cleanup := exampleDB()
	defer cleanup()
	ctx := context.Background()
	d, err := search.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	ms, err := d.ByTranslation(ctx, "一人の女の子", "ja")
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range ms {
		fmt.Println(m.Tag.Tag, m.Tag.Count)
	}
	// Output:
	// 1girl 6000000
	// solo 5000000
}

func ExampleDB_Prefix() {
	path, cleanup := exampleDB()
	defer cleanup()
	ctx := context.Background()
	d, err := search.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	tags, err := d.Prefix(ctx, "long_", 10, search.Filter{})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tags {
		fmt.Println(t.Tag, t.Count)
	}
	// Output:
	// long hair 4350000
	// long sleeves 700000
}

func ExampleDB_Find() {
	path, cleanup := exampleDB()
	defer cleanup()
	ctx := context.Background()
	d, err := search.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	// The most used tags that are canonical on danbooru and on e621, so a
	// prompt works for models trained on either.
	both := search.Filter{Formats: []string{"danbooru", "e621"}, Mode: search.AllOf}
	tags, err := d.Find(ctx, both, 3)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tags {
		fmt.Println(t.Tag, t.Count)
	}
	// Characters anywhere, with a Japanese name.
	chars := search.Filter{Types: []string{"character"}, Language: "ja"}
	if tags, err = d.Find(ctx, chars, 3); err != nil {
		log.Fatal(err)
	}
	for _, t := range tags {
		fmt.Println(t.Tag, t.Translations[0].Text)
	}
	// Output:
	// 1girl 6000000
	// solo 5000000
	// long hair 4350000
	// hatsune miku Hatsune Miku
}

func ExampleDB_Substring() {
	path, cleanup := exampleDB()
	defer cleanup()
	ctx := context.Background()
	d, err := search.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()

	tags, how, err := d.Substring(ctx, "sleeve", 5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(how, tags[0].Tag)
	// Output:
	// fts long sleeves
}

// ExampleCreateSubstringIndex shows how a build adds the optional trigram
// index to a finished database.
func ExampleCreateSubstringIndex() {
	path, cleanup := exampleDB() // already indexed; doing it again rebuilds it
	defer cleanup()
	ctx := context.Background()
	db, err := sql.Open("sqlite", sqlitedb.DSN(path, sqlitedb.ReadWrite))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := search.CreateSubstringIndex(ctx, db); err != nil {
		log.Fatal(err)
	}
	d, err := search.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	fmt.Println(d.HasSubstringIndex())
	// Output:
	// true
}
