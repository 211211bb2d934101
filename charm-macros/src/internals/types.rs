//! Reading Rust types as written (no name resolution): `Option<T>`, plain type names, and
//! the types whose defaults can be checked as literals.

use syn::Type;

/// The type inside `Option<T>`, if `ty` is written as an `Option`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// The last path segment's name of a plain type path (`String`, `std::string::String` →
/// `String`), if the type is one.
pub fn type_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            matches!(last.arguments, syn::PathArguments::None).then(|| last.ident.to_string())
        }
        Type::Reference(r) => type_name(&r.elem).map(|n| format!("&{n}")),
        Type::Group(g) => type_name(&g.elem),
        Type::Paren(p) => type_name(&p.elem),
        _ => None,
    }
}

/// A Rust type with a known literal form, for checking defaults before rustc does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Prim {
    /// An integer type with its bounds.
    Int(i128, i128),
    /// `f32`/`f64`
    Float,
    /// `bool`
    Bool,
    /// `String`/`&str`
    Str,
}

/// The literal form of a type named `name`, if it has one.
pub fn prim(name: &str) -> Option<Prim> {
    Some(match name {
        "i8" => Prim::Int(i8::MIN.into(), i8::MAX.into()),
        "i16" => Prim::Int(i16::MIN.into(), i16::MAX.into()),
        "i32" => Prim::Int(i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => Prim::Int(i64::MIN.into(), i64::MAX.into()),
        "u8" => Prim::Int(0, u8::MAX.into()),
        "u16" => Prim::Int(0, u16::MAX.into()),
        "u32" => Prim::Int(0, u32::MAX.into()),
        "u64" | "usize" => Prim::Int(0, u64::MAX.into()),
        "f32" | "f64" => Prim::Float,
        "bool" => Prim::Bool,
        "String" | "&str" | "str" => Prim::Str,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::{option_inner, prim, type_name, Prim};
    use syn::Type;

    #[test]
    fn option_inner_finds_the_wrapped_type() {
        let ty: Type = syn::parse_quote!(Option<String>);
        assert_eq!(
            type_name(option_inner(&ty).unwrap()).as_deref(),
            Some("String")
        );
        let ty: Type = syn::parse_quote!(std::option::Option<u16>);
        assert!(option_inner(&ty).is_some());
        let ty: Type = syn::parse_quote!(Vec<String>);
        assert!(option_inner(&ty).is_none());
    }

    #[test]
    fn type_names() {
        let ty: Type = syn::parse_quote!(std::string::String);
        assert_eq!(type_name(&ty).as_deref(), Some("String"));
        let ty: Type = syn::parse_quote!(&str);
        assert_eq!(type_name(&ty).as_deref(), Some("&str"));
        let ty: Type = syn::parse_quote!(Vec<u8>);
        assert_eq!(type_name(&ty), None);
    }

    #[test]
    fn literal_forms() {
        assert_eq!(prim("u8"), Some(Prim::Int(0, 255)));
        assert_eq!(prim("&str"), Some(Prim::Str));
        assert_eq!(prim("f64"), Some(Prim::Float));
        assert_eq!(prim("Vec"), None);
    }
}
